package io.sfgateway.loadtests.bench;

import static io.sfgateway.loadtests.bench.BenchLog.log;
import static io.sfgateway.loadtests.support.GatewayArgs.LIMITS;

import io.sfgateway.loadtests.support.ActuatorMetrics;
import io.sfgateway.loadtests.support.GatewayArgs;
import io.sfgateway.loadtests.support.Http;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The token endpoint hanging, once after the rounds: cached subjects meanwhile (the contract: unaffected), cold
 * subjects before the breaker opens (answered within the exchange timeout), then cold subjects once it is open
 * (answered at once, without calling the org).
 */
final class HangStage {

    private final BenchTargets targets;
    private final Wrk wrk;
    private final BenchMode mode;
    private final Runs runs;
    private final BenchTokens tokens;

    HangStage(BenchTargets targets, Wrk wrk, BenchMode mode, Runs runs, BenchTokens tokens) {
        this.targets = targets;
        this.wrk = wrk;
        this.mode = mode;
        this.runs = runs;
        this.tokens = tokens;
    }

    Map<String, Object> run() {
        Map<String, Object> hang = new LinkedHashMap<>();
        targets.admin().fault("HANG");
        try {
            // Cached subjects first, while the breaker is still closed: they must not notice.
            Wrk.Result cached = wrk.run("hang-cached", targets.ours.url(), LIMITS, tokens.oursWarm(), "cycle", "get",
                    mode.connections(), mode.hangProbe());
            runs.record("hang", 0, "ours-cached", cached);
            // Cold subjects before the breaker opens: each waits for the exchange timeout (3 s), then 503. The
            // breaker (window of 20 calls, 50 % failures) has seen successful exchanges before, so it takes up to
            // 20 failed calls to open it: send that many at once.
            List<CompletableFuture<long[]>> waits = new ArrayList<>();
            for (String token : tokens.hang()) {
                long t0 = System.nanoTime();
                HttpRequest request = HttpRequest.newBuilder(URI.create(targets.ours.url() + LIMITS))
                        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).GET().build();
                waits.add(Http.client().sendAsync(request, HttpResponse.BodyHandlers.discarding())
                        .handle((r, e) -> new long[] {e == null ? r.statusCode() : -1, System.nanoTime() - t0}));
            }
            List<Double> closedMs = new ArrayList<>();
            List<Long> closedStatus = new ArrayList<>();
            for (CompletableFuture<long[]> wait : waits) {
                long[] result = wait.join();
                closedStatus.add(result[0]);
                closedMs.add(Stats.round(result[1] / 1e6, 1));
            }
            String breakerState = new ActuatorMetrics(targets.ours.managementUrl()).breakerState(GatewayArgs.BREAKER);
            // Cold subjects once it is open: refused at once, without calling the org. One connection, like the
            // other latency runs: the time to answer, not the machine's queue.
            long tokenRequestsBefore = targets.admin().counters().tokenRequests();
            Wrk.Result open = wrk.run("hang-breaker-open", targets.ours.url(), LIMITS, tokens.breaker(), "cycle", "get", 1,
                    mode.hangProbe());
            long tokenRequestsDuring = targets.admin().counters().tokenRequests() - tokenRequestsBefore;
            runs.record("hang", 0, "ours-cold-breaker-open", open);
            boolean opened = breakerState.equals("open") && open.requests() > 0
                    && open.statusErrors() == open.requests() && tokenRequestsDuring == 0;
            hang.put("cached_during_hang_rps", Stats.round(cached.rps(), 1));
            hang.put("cached_during_hang_p50_ms", cached.p50());
            hang.put("cached_during_hang_p99_ms", cached.p99());
            hang.put("cached_during_hang_errors", cached.errors());
            hang.put("exchange_timeout_ms", BenchTargets.EXCHANGE_TIMEOUT.toMillis());
            hang.put("breaker_closed_cold_requests", closedMs.size());
            hang.put("breaker_closed_cold_unanswered", closedStatus.stream().filter(s -> s < 0).count());
            hang.put("breaker_closed_cold_p50_ms", Stats.round(Stats.median(closedMs), 1));
            hang.put("breaker_closed_cold_max_ms", Stats.round(Stats.max(closedMs), 1));
            hang.put("breaker_closed_cold_status", closedStatus.stream().distinct().toList());
            hang.put("breaker_state_after_timeouts", breakerState);
            hang.put("breaker_opened", opened);
            hang.put("breaker_open_requests", open.requests());
            hang.put("breaker_open_non_2xx", open.statusErrors());
            hang.put("breaker_open_p50_ms", open.requests() > 0 ? open.p50() : Double.NaN);
            hang.put("breaker_open_p99_ms", open.requests() > 0 ? open.p99() : Double.NaN);
            hang.put("breaker_open_max_ms", open.requests() > 0 ? open.max() : Double.NaN);
            hang.put("breaker_open_token_requests", tokenRequestsDuring);
            log("token endpoint hanging: cached p99 %.2f ms (%d errors); %d cold at once before the breaker opens:"
                    + " p50 %.0f ms, max %.0f ms, statuses %s; breaker %s; then %d cold requests, %d non-2xx, p50 %.2f"
                    + " p99 %.2f ms, %d token requests", cached.p99(), cached.errors(), closedMs.size(),
                    Stats.median(closedMs), Stats.max(closedMs), closedStatus.stream().distinct().toList(),
                    breakerState, open.requests(), open.statusErrors(), open.p50(), open.p99(), tokenRequestsDuring);
        } finally {
            targets.admin().fault("NONE");
        }
        return hang;
    }
}
