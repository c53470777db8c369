package io.sfgateway.loadtests.bench;

import java.util.Map;

/** One round's results: saturated runs, latency runs (1 connection) and burst, fixed-rate runs. */
record Round(int number, SaturatedStage.Result saturated, LatencyStage.Result latency,
        Map<String, FixedRateLoad.Result> fixedRate) {

    Map<String, Wrk.Result> load() {
        return saturated.load();
    }
}
