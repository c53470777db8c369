package io.sfgateway.loadtests.bench;

import static io.sfgateway.loadtests.support.GatewayArgs.LIMITS;

import io.sfgateway.loadtests.support.EmulatorAdmin;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --explore}, each round: floor, limit, ours warm and peer saturated one after the other (wrk, the mode's
 * connections), and how many exchanges the peer makes per request (counted at the org). Not a promise of the
 * contract: a comparison with the org alone and with the gateway Spring's documentation leads to.
 */
final class ExploreStage {

    private final BenchTargets targets;
    private final Wrk wrk;
    private final BenchMode mode;
    private final Runs runs;
    private final BenchTokens tokens;

    ExploreStage(BenchTargets targets, Wrk wrk, BenchMode mode, Runs runs, BenchTokens tokens) {
        this.targets = targets;
        this.wrk = wrk;
        this.mode = mode;
        this.runs = runs;
        this.tokens = tokens;
    }

    /** Per target {@code rps_<t>}, {@code p99_ms_<t>}, and {@code peer_exchanges_per_request}. */
    Map<String, Object> run(int round) {
        Map<String, Object> figures = new LinkedHashMap<>();
        for (String target : order(round % 2 == 1, List.of("floor", "limit", "ours", "peer"))) {
            EmulatorAdmin.Counters before = targets.admin().counters();
            Wrk.Result result = wrk.run("r" + round + "-saturated-" + target, url(target), LIMITS, tokens(target),
                    "cycle", "get", mode.connections(), mode.throughput());
            runs.record("saturated", round, target, result);
            figures.put("rps_" + target, result.rps());
            figures.put("p99_ms_" + target, result.p99());
            if (target.equals("peer")) {
                // Both counted at the org, so requests still in flight when wrk stops count on both sides.
                EmulatorAdmin.Counters after = targets.admin().counters();
                figures.put("peer_exchanges_per_request", (double) (after.exchangesWithPrefix("peer-")
                        - before.exchangesWithPrefix("peer-")) / Math.max(1, after.restCalls() - before.restCalls()));
            }
        }
        return figures;
    }

    private String url(String target) {
        return switch (target) {
            case "floor" -> targets.org.url();
            case "limit" -> targets.limit.url();
            case "ours" -> targets.ours.url();
            default -> targets.peer.url();
        };
    }

    private Path tokens(String target) {
        return switch (target) {
            case "floor" -> tokens.static_();
            case "peer" -> tokens.peerWarm();
            default -> tokens.oursWarm();
        };
    }

    /** The items in order, or reversed: rounds alternate (ABCD, DCBA, ...). */
    static <T> List<T> order(boolean forward, List<T> items) {
        List<T> list = new ArrayList<>(items);
        if (!forward) {
            Collections.reverse(list);
        }
        return list;
    }
}
