package io.sfgateway.loadtests.bench;

import static io.sfgateway.loadtests.bench.BenchLog.log;
import static io.sfgateway.loadtests.support.GatewayArgs.LIMITS;
import static io.sfgateway.loadtests.support.HostStats.compilerCpuSeconds;

import io.sfgateway.loadtests.support.EmulatorAdmin;
import io.sfgateway.loadtests.support.Http;
import io.sfgateway.loadtests.support.PrometheusHistogram;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A local miss served from Redis: subjects seen first by replica A (one exchange each, sessions written to Redis),
 * then each one's first request to replica B at one connection. The contract's figure is B's own time for it, its
 * {@code salesforce.session.store.read} timer (outcome {@code hit}) read from its Prometheus endpoint just before
 * and just after the run; wrk's end-to-end figure (which adds the JWT check of a never-seen token and the org's
 * REST answer) stands beside it.
 */
final class SharedL2Stage {

    /** Subjects of B's warm-up on this path; deliberately neither {@code shared-l2-} nor {@code ours-}. */
    static final String L2_WARM_PREFIX = "sharedwarm-l2-";
    /** The library's timer {@code salesforce.session.store.read} as Prometheus names it (tag {@code outcome}). */
    static final String STORE_READ = "salesforce_session_store_read_seconds";

    private final SharedStore shared;
    private final EmulatorAdmin org;
    private final Wrk wrk;
    private final BenchMode mode;

    SharedL2Stage(SharedStore shared, EmulatorAdmin org, Wrk wrk, BenchMode mode) {
        this.shared = shared;
        this.org = org;
        this.wrk = wrk;
        this.mode = mode;
    }

    /**
     * Warms B's JIT on the measured path: A's warm subjects through B, then slices of new subjects sent once through
     * A and once through B at 8 connections, until B's compiler threads use under 3 % of a core during a slice's B
     * pass (at most 6 slices of 2,000; one in {@code --quick}). Returns {@code jit_settle.shared_l2}.
     */
    Map<String, Object> settle(BenchTokens tokens) {
        wrk.run("warmup-shared-b", shared.b().url(), LIMITS, tokens.sharedWarm(), "cycle", "get", mode.connections(),
                mode.warmup());
        int maxSlices = mode.isFull() ? 6 : 1;
        int perSlice = mode.isFull() ? 2000 : mode.sharedSubjects();
        double compiling = Double.NaN;
        int slices = 0;
        while (slices < maxSlices && !(compiling < 0.03)) {
            slices++;
            List<String> slice = org.mintAll(BenchTokens.subjects(L2_WARM_PREFIX + slices + "-", perSlice),
                    Duration.ofHours(3));
            ParallelGets.run(shared.a().url() + LIMITS, slice, 8, Duration.ofSeconds(30));
            ParallelGets.pause(Duration.ofMillis(500)); // A writes to Redis after answering
            long pid = shared.b().process().pid();
            double before = compilerCpuSeconds(pid);
            long start = System.nanoTime();
            ParallelGets.run(shared.b().url() + LIMITS, slice, 8, Duration.ofSeconds(30));
            compiling = (compilerCpuSeconds(pid) - before) / ((System.nanoTime() - start) / 1e9);
        }
        log("shared B, Redis-hit path: %d slice(s) of %d new subjects, compiler threads at %.1f %% of a core in the"
                + " last", slices, perSlice, compiling * 100);
        return Map.of("slices", slices, "compiler_core_share_last", Stats.round(compiling, 3));
    }

    /** The Redis-hit figures: B's store-read timer over the run, wrk's end-to-end latency, exchanges meanwhile. */
    Map<String, Object> l2Hits(BenchTokens tokens) {
        List<String> subjects = tokens.sharedL2List();
        long bad = ParallelGets.run(shared.a().url() + LIMITS, subjects, 8, Duration.ofSeconds(30)).stream()
                .filter(s -> s != 200).count();
        ParallelGets.pause(Duration.ofMillis(500)); // A writes to Redis after answering
        long exchangesBefore = org.counters().exchangesWithPrefix("shared-l2-");
        PrometheusHistogram readsBefore = storeReads();
        // wrk stops when the tokens run out ("once"), and runs for its whole duration regardless: size it to them.
        Wrk.Result b = wrk.run("shared-l2-b", shared.b().url(), LIMITS, tokens.sharedL2(), "once", "get", 1,
                Duration.ofMillis(1000 + subjects.size() * 10L));
        PrometheusHistogram reads = storeReads().minus(readsBefore);
        long exchanges = org.counters().exchangesWithPrefix("shared-l2-") - exchangesBefore;
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("shared_l2_hit_p50_ms", b.p50());
        figures.put("shared_l2_hit_p99_ms", b.p99());
        figures.put("shared_l2_requests", b.requests());
        figures.put("shared_l2_errors", b.errors());
        figures.put("shared_l2_exchanges", exchanges);
        figures.put("shared_l2_subjects_not_200_through_a", bad);
        figures.putAll(storeReadFigures(reads));
        log("shared store: %d first requests to B for subjects seen by A: p50 %.3f p99 %.3f ms end to end, %d"
                + " exchanges; B's store reads: %.0f, p99 at most %.3f ms", b.requests(), b.p50(), b.p99(), exchanges,
                reads.count(), reads.quantileUpperBound(0.99) * 1000);
        return figures;
    }

    private PrometheusHistogram storeReads() {
        try {
            Http.Answer answer = Http.get(shared.b().managementUrl() + "/actuator/prometheus",
                    Map.of("Accept", "text/plain"), Duration.ofSeconds(10));
            return answer.status() == 200 ? PrometheusHistogram.parse(answer.body(), STORE_READ, "outcome", "hit")
                    : PrometheusHistogram.empty();
        } catch (RuntimeException e) {
            log("shared store: B's Prometheus endpoint not read (%s)", e.getClass().getSimpleName());
            return PrometheusHistogram.empty();
        }
    }

    /**
     * The store-read figures from the timer's buckets over the measured run. {@code shared_l2_store_read_p99_ms} is
     * the upper bound of the first bucket whose cumulative share reaches 0.99: an upper bound of the p99, as fine as
     * the buckets (the timer has one at exactly 2 ms, so "p99 within 2 ms" is exact). NaN when nothing was timed.
     */
    static Map<String, Object> storeReadFigures(PrometheusHistogram reads) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("shared_l2_store_read_count", Math.round(reads.count()));
        figures.put("shared_l2_store_read_mean_ms", Stats.round(reads.mean() * 1000, 3));
        figures.put("shared_l2_store_read_within_2ms_share", reads.count() > 0
                ? Stats.round(reads.countAtOrBelow(0.002) / reads.count(), 4) : Double.NaN);
        figures.put("shared_l2_store_read_p99_ms", Stats.round(reads.quantileUpperBound(0.99) * 1000, 6));
        return figures;
    }
}
