package io.sfgateway.loadtests.simulations;

import java.util.List;

/** Churn: new subjects arrive all the time while old ones keep calling (see ChurnWorkload). */
public class ChurnSimulation extends WorkloadSimulation {

    public ChurnSimulation() {
        super(ctx -> List.of(new ChurnWorkload(ctx)));
    }
}
