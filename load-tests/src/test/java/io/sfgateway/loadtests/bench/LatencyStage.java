package io.sfgateway.loadtests.bench;

import static io.sfgateway.loadtests.bench.BenchStack.LIMITS;
import static io.sfgateway.loadtests.bench.BenchStack.TOKEN_PATH;

import io.sfgateway.loadtests.support.ActuatorMetrics;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One round's latency runs at one connection with the token endpoint answering after a fixed latency: floor, limit,
 * ours warm, the org's own exchange round trip, ours cold (every request a new subject), peer; then floor and limit
 * again with the org's REST answer taking that latency instead ({@code floor-wait}, {@code limit-wait}: what one
 * proxy hop costs on this machine when the gateway waits that long, the part of the cold overhead no gateway
 * avoids); then the burst (hundreds of first requests for one new subject at once).
 */
final class LatencyStage {

    /** One round's latency results; {@code gatewayExchangeMeanMs} is ours' own exchange timer over the cold run. */
    record Result(Map<String, Wrk.Result> latency, double gatewayExchangeMeanMs, int burstOk, long burstExchanges) {
    }

    private static final String EXCHANGE_TIMER = "salesforce.token.exchange";

    private final BenchStack stack;
    private final Wrk wrk;
    private final BenchMode mode;
    private final Runs runs;
    private final BenchTokens tokens;
    private final ActuatorMetrics oursMetrics;

    LatencyStage(BenchStack stack, Wrk wrk, BenchMode mode, Runs runs, BenchTokens tokens) {
        this.stack = stack;
        this.wrk = wrk;
        this.mode = mode;
        this.runs = runs;
        this.tokens = tokens;
        this.oursMetrics = new ActuatorMetrics(stack.oursManagementUrl);
    }

    Result run(int r) {
        stack.org.latency(mode.tokenLatencyMs(), 0);
        try {
            Map<String, Wrk.Result> latency = new LinkedHashMap<>();
            Duration l = mode.latency();
            double gatewayExchangeMeanMs = Double.NaN;
            for (String target : SaturatedStage.order(r % 2 == 1,
                    List.of("floor", "limit", "ours-warm", "exchange", "ours-cold", "peer"))) {
                double[] timerBefore = target.equals("ours-cold") ? exchangeTimer() : null;
                Wrk.Result result = switch (target) {
                    case "floor" -> wrk.run("r" + r + "-c1-floor", stack.orgUrl, LIMITS, tokens.static_(), "cycle",
                            "get", 1, l);
                    case "limit" -> wrk.run("r" + r + "-c1-limit", stack.limitUrl, LIMITS, tokens.oursWarm(), "cycle",
                            "get", 1, l);
                    case "ours-warm" -> wrk.run("r" + r + "-c1-ours-warm", stack.oursUrl, LIMITS, tokens.oursWarm(),
                            "cycle", "get", 1, l);
                    case "exchange" -> wrk.run("r" + r + "-c1-exchange", stack.orgUrl, TOKEN_PATH, tokens.rtt(),
                            "cycle", "exchange", 1, l);
                    case "peer" -> wrk.run("r" + r + "-c1-peer", stack.peerUrl, LIMITS, tokens.peerWarm(), "cycle",
                            "get", 1, l);
                    default -> wrk.run("r" + r + "-c1-ours-cold", stack.oursUrl, LIMITS, tokens.cold().get(r - 1),
                            "once", "get", 1, l);
                };
                if (timerBefore != null) {
                    // The gateway's own timer of the exchange (salesforce.token.exchange, outcome=success).
                    double[] timerAfter = exchangeTimer();
                    double count = timerAfter[0] - timerBefore[0];
                    gatewayExchangeMeanMs = count > 0 ? (timerAfter[1] - timerBefore[1]) / count * 1000 : Double.NaN;
                }
                latency.put(target, result);
                runs.record("latency", r, target, result);
            }
            // The plain route on a request that waits as long as an exchange does: the org's REST answer delayed.
            stack.org.latency(0, mode.tokenLatencyMs());
            for (String target : SaturatedStage.order(r % 2 == 1, List.of("floor-wait", "limit-wait"))) {
                Wrk.Result result = target.equals("floor-wait")
                        ? wrk.run("r" + r + "-c1-floor-wait", stack.orgUrl, LIMITS, tokens.static_(), "cycle", "get", 1, l)
                        : wrk.run("r" + r + "-c1-limit-wait", stack.limitUrl, LIMITS, tokens.oursWarm(), "cycle", "get",
                                1, l);
                latency.put(target, result);
                runs.record("latency", r, target, result);
            }
            stack.org.latency(mode.tokenLatencyMs(), 0);
            // Burst: hundreds of first requests for one new subject at once, while its exchange takes the latency.
            String burstToken = tokens.burst().get(r - 1);
            List<Integer> statuses = ParallelGets.run(stack.oursUrl + LIMITS,
                    Collections.nCopies(mode.burstUsers(), burstToken), mode.burstUsers(), Duration.ofSeconds(30));
            int burstOk = (int) statuses.stream().filter(s -> s == 200).count();
            long burstExchanges = stack.org.counters().exchangesBySubject().getOrDefault(
                    String.format("ours-burst-r%05d", r - 1), 0L);
            return new Result(latency, gatewayExchangeMeanMs, burstOk, burstExchanges);
        } finally {
            stack.org.latency(0, 0);
        }
    }

    /** {count, total seconds} of ours' successful exchanges so far. */
    private double[] exchangeTimer() {
        return new double[] {oursMetrics.count(EXCHANGE_TIMER, "outcome:success"),
            oursMetrics.totalSeconds(EXCHANGE_TIMER, "outcome:success")};
    }
}
