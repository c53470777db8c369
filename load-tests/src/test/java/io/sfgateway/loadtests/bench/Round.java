package io.sfgateway.loadtests.bench;

import java.util.Map;

/**
 * One round's results: limit and ours loaded at once, limit and shared replica A loaded at once (null without the
 * shared store), the latency runs and the burst, the fixed-rate runs, and {@code --explore}'s figures (empty
 * without it).
 */
record Round(int number, SideBySideStage.Pair ours, SideBySideStage.Pair shared, LatencyStage.Result latency,
        Map<String, FixedRateLoad.Result> fixedRate, Map<String, Object> explored) {
}
