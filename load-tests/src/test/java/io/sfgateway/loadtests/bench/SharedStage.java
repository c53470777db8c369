package io.sfgateway.loadtests.bench;

import static io.sfgateway.loadtests.bench.BenchLog.log;
import static io.sfgateway.loadtests.bench.BenchStack.LIMITS;
import static io.sfgateway.loadtests.support.HostStats.compilerCpuSeconds;
import static io.sfgateway.loadtests.support.HostStats.freePorts;

import io.sfgateway.loadtests.support.GatewayArgs;
import io.sfgateway.loadtests.support.Http;
import io.sfgateway.loadtests.support.ManagedProcess;
import io.sfgateway.loadtests.support.PrometheusHistogram;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import redis.embedded.RedisServer;

/**
 * The "shared" target (the shared session store on): an embedded redis-server and two gateways, A and B, both
 * "ours" (the same gateway-app.jar, JVM flags and arguments) with the shared store turned on the way the ready jar
 * is configured in production, from environment variables: {@code SF_CACHE_SHARED_ENABLED}, {@code _KEY_ID}, one
 * {@code SALESFORCE_TOKENEXCHANGE_CACHE_SHARED_KEYS_<ID>} and Spring Boot's {@code SPRING_DATA_REDIS_HOST}/{@code _PORT}
 * (the sealing key so stays off the command line). A runs in the rounds beside the others (warm subjects: local
 * hits); afterwards, subjects warmed through A are asked of B once each, one connection: a local miss that Redis
 * answers, with no exchange at the org.
 */
final class SharedStage implements AutoCloseable {

    /** Subjects of B's L2-path warm-up ({@link #settleL2}); deliberately not {@code shared-l2-...}. */
    static final String L2_WARM_PREFIX = "sharedwarm-l2-";
    /** The library's timer {@code salesforce.session.store.read} as Prometheus names it (tag {@code outcome}). */
    static final String STORE_READ = "salesforce_session_store_read_seconds";

    private final BenchStack stack;
    private final BenchMode mode;
    private RedisServer redis;
    private String urlA;
    private String urlB;
    private String managementA;
    private String managementB;
    private ManagedProcess gatewayA;
    private ManagedProcess gatewayB;

    SharedStage(BenchStack stack, BenchMode mode) {
        this.stack = stack;
        this.mode = mode;
    }

    void start() throws IOException {
        int[] ports = freePorts(5);
        redis = RedisServer.newRedisServer().bind("127.0.0.1").port(ports[0]).setting("save \"\"")
                .setting("appendonly no").build();
        redis.start();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Map<String, String> shared = Map.of("SF_CACHE_SHARED_ENABLED", "true", "SF_CACHE_SHARED_KEY_ID", "k1",
                "SALESFORCE_TOKENEXCHANGE_CACHE_SHARED_KEYS_K1", Base64.getEncoder().encodeToString(key),
                "SPRING_DATA_REDIS_HOST", "127.0.0.1", "SPRING_DATA_REDIS_PORT", Integer.toString(ports[0]));
        urlA = "http://127.0.0.1:" + ports[1];
        urlB = "http://127.0.0.1:" + ports[3];
        managementA = GatewayArgs.managementUrl(ports[2]);
        managementB = GatewayArgs.managementUrl(ports[4]);
        gatewayA = stack.track(launch("shared-a", ports[1], ports[2], shared));
        gatewayB = stack.track(launch("shared-b", ports[3], ports[4], shared));
    }

    /** gateway-app.jar as "ours" is launched ({@link BenchStack#startGateways}), plus the shared store's variables. */
    private ManagedProcess launch(String name, int port, int managementPort, Map<String, String> shared) {
        return ManagedProcess.java(name, stack.jvm(), stack.jar("gateway-jar"), GatewayArgs.ours(port, managementPort,
                stack.orgUrl, stack.issuer, stack.jwks, Duration.ofSeconds(3), Duration.ofSeconds(10)), shared,
                stack.logs().resolve(name + ".log"));
    }

    void await() {
        gatewayA.awaitOk(managementA + "/actuator/health/readiness", Duration.ofSeconds(180));
        gatewayB.awaitOk(managementB + "/actuator/health/readiness", Duration.ofSeconds(180));
        log("shared-store gateways up: A %s, B %s (redis on loopback)", urlA, urlB);
    }

    /** Gateway A as a saturated-run target, with its own warm subjects. */
    SaturatedStage.Target target(BenchTokens tokens) {
        return new SaturatedStage.Target("shared", "shared-warm", urlA, tokens.sharedWarm(), gatewayA);
    }

    String urlA() {
        return urlA;
    }

    /**
     * Warms B's JIT on the paths the Redis-hit figure takes: A's warm subjects through B (each one's first request a
     * local miss answered from Redis, then local hits).
     */
    void warmB(Wrk wrk, BenchTokens tokens) {
        wrk.run("warmup-shared-b", urlB, LIMITS, tokens.sharedWarm(), "cycle", "get", mode.connections(),
                mode.warmup());
    }

    /**
     * Warms B's JIT on the measured path itself (a never-seen token checked, the local miss, Redis GET, the sealed
     * value opened, the session cached): slices of new subjects ({@value #L2_WARM_PREFIX}{@code <slice>-}, minted
     * here just before use) sent once through A (sessions written to Redis), then once through B at 8 connections,
     * until B's compiler threads use under 3 % of a core during a slice's B pass or the cap: 6 slices of 2,000 in
     * {@code --full}, one of {@link BenchMode#sharedSubjects()} in {@code --quick} (it must stay under 3 minutes).
     * The prefix starts with neither {@code ours-} nor {@code shared-l2-}, so {@code exchanges_per_subject} and
     * {@code shared_l2_exchanges} never count these subjects. Without it, A's 1,000 warm subjects through B
     * ({@link #warmB}) were B's only L2 reads before the measured run, and its compiler threads were still busy.
     *
     * @return {@code jit_settle.shared_l2}: slices used, subjects, compiler share of a core in the last slice
     */
    Map<String, Object> settleL2() {
        int maxSlices = mode.isFull() ? 6 : 1;
        int perSlice = mode.isFull() ? 2000 : mode.sharedSubjects();
        long t0 = System.nanoTime();
        double compiling = Double.NaN;
        int slices = 0;
        int subjects = 0;
        long notOk = 0;
        while (slices < maxSlices) {
            slices++;
            List<String> slice = stack.org.mintAll(BenchTokens.subjects(L2_WARM_PREFIX + slices + "-", perSlice),
                    Duration.ofHours(3));
            notOk += notOk(ParallelGets.run(urlA + LIMITS, slice, 8, Duration.ofSeconds(30)));
            ManagedProcess.sleep(Duration.ofMillis(500)); // A writes to Redis after answering
            double cpuBefore = compilerCpuSeconds(gatewayB.pid());
            long start = System.nanoTime();
            notOk += notOk(ParallelGets.run(urlB + LIMITS, slice, 8, Duration.ofSeconds(30)));
            compiling = (compilerCpuSeconds(gatewayB.pid()) - cpuBefore) / ((System.nanoTime() - start) / 1e9);
            subjects += slice.size();
            if (compiling < 0.03) {
                break;
            }
        }
        // One exchange per subject (A's); more means B exchanged too: its Redis reads missed.
        long exchanges = stack.org.counters().exchangesWithPrefix(L2_WARM_PREFIX);
        log("shared B, L2-path warm-up: %d new subjects through A then B in %.1f s, %d slice(s), B's compiler threads"
                + " at %.1f %% of a core in the last (%s); %d exchanges at the org, %d not 200", subjects,
                (System.nanoTime() - t0) / 1e9, slices, compiling * 100, compiling < 0.03 ? "settled"
                        : "still compiling", exchanges, notOk);
        Map<String, Object> settle = new LinkedHashMap<>();
        settle.put("slices", slices);
        settle.put("subjects", subjects);
        settle.put("compiler_core_share_last", Math.round(compiling * 1000) / 1000.0);
        settle.put("exchanges", exchanges);
        return settle;
    }

    private static long notOk(List<Integer> statuses) {
        return statuses.stream().filter(s -> s != 200).count();
    }

    /**
     * Subjects warmed through A (one exchange each, sessions written to Redis), then each one's first request to B
     * at one connection: B's latency for a local miss served from Redis end to end (wrk's view, which includes the
     * JWT check of a never-seen token and the org's REST answer), the exchanges the org saw meanwhile, and B's own
     * time to serve those local misses from Redis: its {@code salesforce.session.store.read} timer (outcome
     * {@code hit}) read from the Prometheus endpoint just before and just after the run ({@link #storeReadFigures}).
     */
    Map<String, Object> l2Hits(Wrk wrk, BenchTokens tokens) {
        List<String> subjects = tokens.sharedL2List();
        List<Integer> statuses = ParallelGets.run(urlA + LIMITS, subjects, 8, Duration.ofSeconds(30));
        long bad = statuses.stream().filter(s -> s != 200).count();
        ManagedProcess.sleep(Duration.ofMillis(500)); // A writes to Redis after answering
        long exchangesBefore = stack.org.counters().exchangesWithPrefix("shared-l2-");
        // wrk stops when the tokens run out ("once"), and runs for its whole duration regardless: size it to them.
        Duration d = Duration.ofMillis(1000 + subjects.size() * 10L);
        PrometheusHistogram readsBefore = storeReads();
        Wrk.Result b = wrk.run("shared-l2-b", urlB, LIMITS, tokens.sharedL2(), "once", "get", 1, d);
        PrometheusHistogram reads = storeReads().minus(readsBefore);
        long exchanges = stack.org.counters().exchangesWithPrefix("shared-l2-") - exchangesBefore;
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("shared_l2_hit_p50_ms", b.p50());
        figures.put("shared_l2_hit_p99_ms", b.p99());
        figures.put("shared_l2_hit_p999_ms", b.p999());
        figures.put("shared_l2_hit_max_ms", b.max());
        figures.put("shared_l2_requests", b.requests());
        figures.put("shared_l2_errors", b.errors());
        figures.put("shared_l2_exchanges", exchanges);
        figures.put("shared_l2_subjects_warmed_through_a", subjects.size() - bad);
        figures.putAll(storeReadFigures(reads));
        log("shared store: %d subjects warmed through A (%d not 200); their first requests to B: %d, p50 %.3f ms,"
                + " p99 %.3f ms, %d errors, %d exchanges at the org meanwhile", subjects.size(), bad, b.requests(),
                b.p50(), b.p99(), b.errors(), exchanges);
        log("shared store: B's own store-read timer (outcome hit) over that run: %.0f reads, mean %.3f ms, %.1f %%"
                + " within 2 ms, p99 at most %.3f ms (a bucket bound)%s", reads.count(), reads.mean() * 1000,
                reads.countAtOrBelow(0.002) / reads.count() * 100, reads.quantileUpperBound(0.99) * 1000,
                reads.count() > 0 ? "" : " (timer absent: a gateway without salesforce.session.store.read)");
        return figures;
    }

    /** B's store-read histogram (outcome {@code hit}) now; empty when the endpoint or the timer is not there. */
    private PrometheusHistogram storeReads() {
        try {
            Http.Answer answer = Http.get(managementB + "/actuator/prometheus", Map.of("Accept", "text/plain"),
                    Duration.ofSeconds(10));
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

    /** Stops redis-server (the gateways are the stack's to stop, before this). */
    @Override
    public void close() {
        if (redis != null) {
            try {
                redis.stop();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
