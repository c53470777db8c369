package io.sfgateway.loadtests.bench;

import static io.sfgateway.loadtests.bench.BenchLog.log;
import static io.sfgateway.loadtests.bench.BenchStack.LIMITS;
import static io.sfgateway.loadtests.support.HostStats.freePorts;

import io.sfgateway.loadtests.support.GatewayArgs;
import io.sfgateway.loadtests.support.ManagedProcess;
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
     * Subjects warmed through A (one exchange each, sessions written to Redis), then each one's first request to B
     * at one connection: B's latency for a local miss served from Redis, and the exchanges the org saw meanwhile.
     */
    Map<String, Object> l2Hits(Wrk wrk, BenchTokens tokens) {
        List<String> subjects = tokens.sharedL2List();
        List<Integer> statuses = ParallelGets.run(urlA + LIMITS, subjects, 8, Duration.ofSeconds(30));
        long bad = statuses.stream().filter(s -> s != 200).count();
        ManagedProcess.sleep(Duration.ofMillis(500)); // A writes to Redis after answering
        long exchangesBefore = stack.org.counters().exchangesWithPrefix("shared-l2-");
        // wrk stops when the tokens run out ("once"), and runs for its whole duration regardless: size it to them.
        Duration d = Duration.ofMillis(1000 + subjects.size() * 10L);
        Wrk.Result b = wrk.run("shared-l2-b", urlB, LIMITS, tokens.sharedL2(), "once", "get", 1, d);
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
        log("shared store: %d subjects warmed through A (%d not 200); their first requests to B: %d, p50 %.3f ms,"
                + " p99 %.3f ms, %d errors, %d exchanges at the org meanwhile", subjects.size(), bad, b.requests(),
                b.p50(), b.p99(), b.errors(), exchanges);
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
