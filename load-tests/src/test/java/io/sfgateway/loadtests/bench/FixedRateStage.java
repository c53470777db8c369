package io.sfgateway.loadtests.bench;

import static io.sfgateway.loadtests.bench.BenchLog.log;
import static io.sfgateway.loadtests.bench.BenchStack.LIMITS;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One round's fixed-rate runs: limit and ours warm, each driven at the same rate, half of the limit's saturated
 * throughput measured in this round ({@link FixedRateLoad}, open model), in alternating order, with the same
 * requests (ours' warm subjects' IdP tokens; the limit's route replaces them with its static session).
 */
final class FixedRateStage {

    /** The share of the limit's saturated throughput both gateways are driven at. */
    static final double RATE_SHARE = 0.5;

    /**
     * In full runs, both are also driven at half that rate, for information: whether a difference at
     * {@link #RATE_SHARE} is the gateways' or the queue's of a machine near saturation.
     */
    static final double QUARTER_SHARE = RATE_SHARE / 2;

    private final BenchStack stack;
    private final BenchMode mode;
    private final Runs runs;
    private final List<String> oursWarm;

    FixedRateStage(BenchStack stack, BenchMode mode, Runs runs, BenchTokens tokens) {
        this.stack = stack;
        this.mode = mode;
        this.runs = runs;
        this.oursWarm = tokens.oursWarmList();
    }

    /**
     * Both runs at {@code RATE_SHARE × limitRps}, results by target ("limit", "ours"); in full runs also 5-second
     * runs at {@code QUARTER_SHARE × limitRps} ("limit_quarter", "ours_quarter").
     */
    Map<String, FixedRateLoad.Result> run(int r, double limitRps) {
        Map<String, FixedRateLoad.Result> results = new LinkedHashMap<>();
        runPair(r, Math.max(1, limitRps * RATE_SHARE), "", mode.fixedRate(), results);
        if (mode.isFull()) {
            runPair(r, Math.max(1, limitRps * QUARTER_SHARE), "_quarter", Duration.ofSeconds(5), results);
        }
        return results;
    }

    private void runPair(int r, double rate, String suffix, Duration duration,
            Map<String, FixedRateLoad.Result> results) {
        Duration warmIn = mode.fixedRateWarmIn();
        for (String target : SaturatedStage.order(r % 2 == 0, List.of("limit", "ours"))) {
            String url = (target.equals("limit") ? stack.limitUrl : stack.oursUrl) + LIMITS;
            FixedRateLoad.Result result = FixedRateLoad.run("r" + r + "-fixed-" + target + suffix, url, oursWarm, rate,
                    warmIn, duration);
            results.put(target + suffix, result);
            runs.record(r, target + suffix, result);
        }
        FixedRateLoad.Result l = results.get("limit" + suffix);
        FixedRateLoad.Result o = results.get("ours" + suffix);
        log("round %d fixed rate %.0f/s: limit p50 %.3f p99 %.3f p99.9 %.3f ms, ours p50 %.3f p99 %.3f p99.9 %.3f ms"
                + " (p99 delta %+.3f ms); the load generator's CPU %.0f us per request", r, rate, l.p50(), l.p99(),
                l.p999(), o.p50(), o.p99(), o.p999(), o.p99() - l.p99(), (l.clientCpuUs() + o.clientCpuUs()) / 2);
    }
}
