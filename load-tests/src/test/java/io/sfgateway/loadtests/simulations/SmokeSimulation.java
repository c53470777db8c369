package io.sfgateway.loadtests.simulations;

import java.util.List;

/**
 * The smoke that {@code ./mvnw verify} runs: the four workloads at smoke sizes, one after the other in one Gatling
 * run (one JVM, one report), with the same scenarios, checks and assertions as the full simulations. The outage
 * runs last, as it opens the breaker. The cold burst's token latency stays on for the workloads after it.
 */
public class SmokeSimulation extends WorkloadSimulation {

    public SmokeSimulation() {
        super(ctx -> List.of(new WarmWorkload(ctx), new ColdBurstWorkload(ctx), new ChurnWorkload(ctx),
                new OutageWorkload(ctx)));
    }
}
