package io.sfgateway.loadtests.bench;

import static io.sfgateway.loadtests.bench.BenchLog.log;
import static io.sfgateway.loadtests.support.GatewayArgs.LIMITS;

import io.sfgateway.loadtests.support.EmulatorAdmin;
import io.sfgateway.loadtests.support.Stack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Exactly one exchange per subject across replicas, as the contract puts it: three loaded replicas receive a
 * subject's first requests at once, at the store's defaults. While each of A, B and C is loaded by its own wrk
 * (warm subjects, a quarter of the mode's connections each), new subjects arrive one after another, each with
 * {@link BenchMode#sharedBurstPerReplica()} first requests to every replica, all sent at once, interleaved
 * (A, B, C, A, ...), with the token endpoint answering after the token latency. The org counts each subject's
 * exchanges: {@code shared_burst_exchanges_per_subject} is their mean, and the promise holds when every subject was
 * exchanged exactly once.
 */
final class SharedBurstStage {

    static final String PREFIX = "shared-burst-";

    private final SharedStore shared;
    private final EmulatorAdmin org;
    private final Wrk wrk;
    private final BenchMode mode;

    SharedBurstStage(SharedStore shared, EmulatorAdmin org, Wrk wrk, BenchMode mode) {
        this.shared = shared;
        this.org = org;
        this.wrk = wrk;
        this.mode = mode;
    }

    Map<String, Object> run(BenchTokens tokens) {
        int n = mode.sharedBurstSubjects();
        List<String> burstTokens = org.mintAll(BenchTokens.subjects(PREFIX, n), Duration.ofHours(1));
        // Long enough for every burst (each waits at least the token latency, longer on a loaded machine).
        Duration load = Duration.ofSeconds(3 + n);
        org.latency(mode.tokenLatencyMs(), 0);
        try {
            List<CompletableFuture<Wrk.Result>> loads = new ArrayList<>();
            for (Stack.Gateway replica : shared.replicas()) {
                loads.add(CompletableFuture.supplyAsync(() -> wrk.run("shared-burst-load-" + replica.name(),
                        replica.url(), LIMITS, tokens.sharedWarm(), "cycle", "get",
                        Math.max(1, mode.connections() / 4), load)));
            }
            ParallelGets.pause(Duration.ofSeconds(1)); // the load under way before the first burst
            long ok = 0;
            long sent = 0;
            for (String token : burstTokens) {
                List<String> urls = new ArrayList<>();
                for (int i = 0; i < mode.sharedBurstPerReplica(); i++) {
                    shared.replicas().forEach(replica -> urls.add(replica.url() + LIMITS));
                }
                List<Integer> statuses = ParallelGets.atOnce(urls, token, Duration.ofSeconds(30));
                sent += statuses.size();
                ok += statuses.stream().filter(s -> s == 200).count();
            }
            double loadRps = loads.stream().map(CompletableFuture::join).mapToDouble(Wrk.Result::rps).sum();
            Map<String, Long> bySubject = new LinkedHashMap<>();
            org.counters().exchangesBySubject().forEach((subject, count) -> {
                if (subject.startsWith(PREFIX)) {
                    bySubject.put(subject, count);
                }
            });
            long exchanges = bySubject.values().stream().mapToLong(Long::longValue).sum();
            long min = bySubject.size() < n ? 0 : bySubject.values().stream().mapToLong(Long::longValue).min()
                    .orElse(0);
            long max = bySubject.values().stream().mapToLong(Long::longValue).max().orElse(0);
            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("shared_burst_exchanges_per_subject", Stats.round((double) exchanges / n, 2));
            figures.put("shared_burst_subjects", n);
            figures.put("shared_burst_exchanges", exchanges);
            figures.put("shared_burst_min_exchanges_per_subject", min);
            figures.put("shared_burst_max_exchanges_per_subject", max);
            figures.put("shared_burst_requests", sent);
            figures.put("shared_burst_requests_ok", ok);
            figures.put("shared_burst_load_rps", Stats.round(loadRps, 1));
            log("shared burst: %d subjects, each with %d first requests at once over 3 loaded replicas (%.0f rps of"
                    + " load meanwhile): %d exchanges (min %d, max %d per subject), %d of %d requests 200", n,
                    3 * mode.sharedBurstPerReplica(), loadRps, exchanges, min, max, ok, sent);
            return figures;
        } finally {
            org.latency(0, 0);
        }
    }
}
