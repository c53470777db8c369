package io.sfgateway.loadtests.simulations;

import java.util.List;

/** Outage: the token endpoint hangs half-way and recovers (see OutageWorkload). */
public class OutageSimulation extends WorkloadSimulation {

    public OutageSimulation() {
        super(ctx -> List.of(new OutageWorkload(ctx)));
    }
}
