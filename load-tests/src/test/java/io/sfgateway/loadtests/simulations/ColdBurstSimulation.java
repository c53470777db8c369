package io.sfgateway.loadtests.simulations;

import java.util.List;

/** Cold burst: hundreds of first requests for one subject at once (see ColdBurstWorkload). */
public class ColdBurstSimulation extends WorkloadSimulation {

    public ColdBurstSimulation() {
        super(ctx -> List.of(new ColdBurstWorkload(ctx)));
    }
}
