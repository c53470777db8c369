package io.sfgateway.loadtests.bench;

import java.util.Map;

/**
 * One round's results: saturated runs, latency runs (1 connection) and burst, fixed-rate runs, and the side-by-side
 * run of limit and ours.
 */
record Round(int number, SaturatedStage.Result saturated, LatencyStage.Result latency,
        Map<String, FixedRateLoad.Result> fixedRate, SideBySideStage.Result sideBySide) {

    Map<String, Wrk.Result> load() {
        return saturated.load();
    }
}
