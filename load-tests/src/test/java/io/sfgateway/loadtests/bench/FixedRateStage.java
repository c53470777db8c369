package io.sfgateway.loadtests.bench;

import static io.sfgateway.loadtests.bench.BenchLog.log;
import static io.sfgateway.loadtests.support.GatewayArgs.LIMITS;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One round's fixed-rate runs ({@link FixedRateLoad}, open model): limit and ours, in alternating order, each
 * driven at a quarter of the limit's throughput measured in this round (the contract's rate: where the machine
 * does not queue), with the same requests (ours' warm subjects' IdP tokens). {@code --explore} adds half the
 * limit's throughput ({@code limit_half}, {@code ours_half}), where a shared 2-core machine starts to queue.
 */
final class FixedRateStage {

    /** The share of the limit's throughput (side by side, scaled to its full connections) both are driven at. */
    static final double RATE_SHARE = 0.25;
    static final double HALF_SHARE = 0.5;

    private final BenchTargets targets;
    private final BenchMode mode;
    private final Runs runs;
    private final List<String> oursWarm;
    private final boolean explore;

    FixedRateStage(BenchTargets targets, BenchMode mode, Runs runs, BenchTokens tokens, boolean explore) {
        this.targets = targets;
        this.mode = mode;
        this.runs = runs;
        this.oursWarm = tokens.oursWarmList();
        this.explore = explore;
    }

    /**
     * @param limitRps the limit's rps in this round's side-by-side run, where it had half the machine: its
     *     throughput alone is about twice that, so a quarter of it is {@code limitRps / 2}
     * @return results by target: "limit", "ours" (and "limit_half", "ours_half" with {@code --explore})
     */
    Map<String, FixedRateLoad.Result> run(int r, double limitRps) {
        double alone = 2 * limitRps;
        Map<String, FixedRateLoad.Result> results = new LinkedHashMap<>();
        runPair(r, Math.max(1, alone * RATE_SHARE), "", results);
        if (explore) {
            runPair(r, Math.max(1, alone * HALF_SHARE), "_half", results);
        }
        return results;
    }

    private void runPair(int r, double rate, String suffix, Map<String, FixedRateLoad.Result> results) {
        for (String target : ExploreStage.order(r % 2 == 0, List.of("limit", "ours"))) {
            String url = (target.equals("limit") ? targets.limit.url() : targets.ours.url()) + LIMITS;
            FixedRateLoad.Result result = FixedRateLoad.run("r" + r + "-fixed-" + target + suffix, url, oursWarm, rate,
                    mode.fixedRateWarmIn(), mode.fixedRate());
            results.put(target + suffix, result);
            runs.record(r, target + suffix, result);
        }
        FixedRateLoad.Result l = results.get("limit" + suffix);
        FixedRateLoad.Result o = results.get("ours" + suffix);
        log("round %d fixed rate %.0f/s: limit p50 %.3f p99 %.3f ms, ours p50 %.3f p99 %.3f ms (p99 delta %+.3f ms);"
                + " the load generator's CPU %.0f us per request", r, rate, l.p50(), l.p99(), o.p50(), o.p99(),
                o.p99() - l.p99(), (l.clientCpuUs() + o.clientCpuUs()) / 2);
    }
}
