package io.sfgateway.loadtests.bench;

import static io.sfgateway.loadtests.support.GatewayArgs.LIMITS;
import static io.sfgateway.loadtests.support.GatewayArgs.TOKEN_PATH;

import io.sfgateway.loadtests.support.Stack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One round's latency runs at one connection, in alternating order, and the burst. The cold path as the contract
 * measures it: with the token endpoint answering after the token latency (50 ms), the floor, the org's own exchange
 * round trip and ours cold (every request a new subject); then with the org's REST answer delayed as long instead,
 * the floor and the limit again ({@code floor-wait}, {@code limit-wait}: what one plain proxy hop costs when the
 * gateway waits that long, which every cold request of ours contains). {@code --explore} adds the limit, ours warm
 * and the peer without the wait. Then the burst: hundreds of first requests for one new subject at once.
 */
final class LatencyStage {

    /** One round's latency runs by target, and the burst: requests answered 200, exchanges of its subject. */
    record Result(Map<String, Wrk.Result> latency, int burstOk, long burstExchanges) {
    }

    private final BenchTargets targets;
    private final Wrk wrk;
    private final BenchMode mode;
    private final Runs runs;
    private final BenchTokens tokens;
    private final boolean explore;

    LatencyStage(BenchTargets targets, Wrk wrk, BenchMode mode, Runs runs, BenchTokens tokens, boolean explore) {
        this.targets = targets;
        this.wrk = wrk;
        this.mode = mode;
        this.runs = runs;
        this.tokens = tokens;
        this.explore = explore;
    }

    Result run(int r) {
        Map<String, Wrk.Result> latency = new LinkedHashMap<>();
        try {
            targets.admin().latency(mode.tokenLatencyMs(), 0);
            List<String> tokenWait = new ArrayList<>(List.of("floor", "exchange", "ours-cold"));
            if (explore) {
                tokenWait.addAll(List.of("limit", "ours-warm", "peer"));
            }
            for (String target : ExploreStage.order(r % 2 == 1, tokenWait)) {
                latency.put(target, measure(r, target));
            }
            targets.admin().latency(0, mode.tokenLatencyMs());
            for (String target : ExploreStage.order(r % 2 == 1, List.of("floor-wait", "limit-wait"))) {
                latency.put(target, measure(r, target));
            }
            targets.admin().latency(mode.tokenLatencyMs(), 0);
            String burstToken = tokens.burst().get(r - 1);
            List<Integer> statuses = ParallelGets.run(targets.ours.url() + LIMITS,
                    Collections.nCopies(mode.burstUsers(), burstToken), mode.burstUsers(), Duration.ofSeconds(30));
            int burstOk = (int) statuses.stream().filter(s -> s == 200).count();
            long burstExchanges = targets.admin().counters().exchangesBySubject().getOrDefault(
                    String.format("ours-burst-r%05d", r - 1), 0L);
            return new Result(latency, burstOk, burstExchanges);
        } finally {
            targets.admin().latency(0, 0);
        }
    }

    private Wrk.Result measure(int r, String target) {
        Duration l = mode.latency();
        String label = "r" + r + "-c1-" + target;
        Wrk.Result result = switch (target) {
            case "floor", "floor-wait" -> wrk.run(label, targets.org.url(), LIMITS, tokens.static_(), "cycle", "get",
                    1, l);
            case "exchange" -> wrk.run(label, targets.org.url(), TOKEN_PATH, tokens.rtt(), "cycle", "exchange", 1, l);
            case "ours-cold" -> wrk.run(label, targets.ours.url(), LIMITS, tokens.cold().get(r - 1), "once", "get",
                    1, l);
            default -> wrk.run(label, gateway(target).url(), LIMITS, warmTokens(target), "cycle", "get", 1, l);
        };
        runs.record("latency", r, target, result);
        return result;
    }

    private Stack.Gateway gateway(String target) {
        return switch (target) {
            case "ours-warm" -> targets.ours;
            case "peer" -> targets.peer;
            default -> targets.limit;
        };
    }

    private Path warmTokens(String target) {
        return target.equals("peer") ? tokens.peerWarm() : tokens.oursWarm();
    }
}
