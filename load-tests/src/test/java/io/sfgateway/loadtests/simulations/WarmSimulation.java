package io.sfgateway.loadtests.simulations;

import java.util.List;

/** Warm: 1,000 subjects calling steadily (see WarmWorkload). */
public class WarmSimulation extends WorkloadSimulation {

    public WarmSimulation() {
        super(ctx -> List.of(new WarmWorkload(ctx)));
    }
}
