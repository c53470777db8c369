package io.sfgateway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Contract §5b with the production jar: three gateway processes, configured by environment
 * variables only and at every default of the shared store (no timeout is set anywhere here), share
 * one real redis-server as the ACL user {@code k8s/README.md} documents (the rules read from that
 * file) and one emulated org whose token endpoint takes 150 ms.
 * <ul>
 *   <li>Concurrent first requests for 240 new subjects (60 at a time), each subject's three requests
 *       one to each gateway at once, with another process burning CPU beside them: one exchange per subject,
 *       no error, no breaker opened, nothing the ACL denied.</li>
 *   <li>A rolling restart under load (each gateway taken out of the rotation, stopped, started
 *       again and put back, as a Kubernetes rollout does) costs no exchange and no error.</li>
 * </ul>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedStoreClusterIT {

    private static final String QUERY = "/services/data/v62.0/query?q=SELECT+Id,Name+FROM+Account";
    private static final String KEY = Base64.getEncoder().encodeToString("fedcba9876543210fedcba9876543210".getBytes());
    private static final String REDIS_PASSWORD = "a-redis-password-for-the-test";
    private static final int SUBJECTS = 240;

    private static EmulatedOrg org;
    private static EmbeddedRedis redis;
    private static ConnectionProvider pool;
    private static HttpClient http;
    private static Map<String, String> variables;
    private static final Map<String, String> subjects = new LinkedHashMap<>();
    /** The gateways in the rotation. */
    private static final List<GatewayProcess> rotation = new CopyOnWriteArrayList<>();
    private static final AtomicReference<String> firstError = new AtomicReference<>();

    @BeforeAll
    static void startCluster() {
        org = new EmulatedOrg(true);
        redis = new EmbeddedRedis();
        DocumentedRedisAcl acl = DocumentedRedisAcl.fromK8sReadme();
        redis.setUser(acl.setUserArguments(REDIS_PASSWORD));
        pool = ConnectionProvider.builder("cluster-it").maxConnections(1000).pendingAcquireMaxCount(-1).build();
        http = HttpClient.create(pool).responseTimeout(Duration.ofSeconds(30));
        variables = new LinkedHashMap<>(org.variables());
        variables.put("SF_CACHE_SHARED_ENABLED", "true");
        variables.put("SF_CACHE_SHARED_KEY_ID", "k1");
        variables.put("SALESFORCE_TOKENEXCHANGE_CACHE_SHARED_KEYS_K1", KEY);
        variables.put("SPRING_DATA_REDIS_HOST", "127.0.0.1");
        variables.put("SPRING_DATA_REDIS_PORT", Integer.toString(redis.port()));
        variables.put("SPRING_DATA_REDIS_USERNAME", acl.user());
        variables.put("SPRING_DATA_REDIS_PASSWORD", REDIS_PASSWORD);
        List<GatewayProcess> starting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            starting.add(GatewayProcess.start("gateway-" + i, variables));
        }
        starting.forEach(GatewayProcess::awaitReady);
        rotation.addAll(starting);
        String run = Long.toHexString(System.nanoTime());
        for (int i = 0; i < SUBJECTS; i++) {
            subjects.put("cluster-" + run + "-" + i, org.token("cluster-" + run + "-" + i));
        }
    }

    @AfterAll
    static void stopCluster() {
        rotation.forEach(GatewayProcess::stop);
        if (pool != null) {
            pool.dispose();
        }
        if (redis != null) {
            redis.close();
        }
        if (org != null) {
            org.close();
        }
    }

    @Test
    @Order(1)
    void concurrentFirstRequestsOnEveryGatewayUnderCpuLoadCostOneExchangePerSubject() throws IOException {
        org.emulator().controls().tokenLatency(Duration.ofMillis(150));
        Process burner = cpuBurner(2, 60);
        long start = System.nanoTime();
        List<Integer> statuses;
        try {
            // Each subject's three first requests leave together, one to each gateway; 60 subjects in flight, so a
            // gateway that wins every lock stays within the default 64 exchanges in flight per registration.
            statuses = Flux.fromIterable(subjects.values())
                    .concatMap(token -> Flux.range(0, 3).map(i -> token))
                    .index()
                    .flatMap(request -> call(request.getT1().intValue(), request.getT2()), 180)
                    .collectList().block(Duration.ofSeconds(120));
        } finally {
            burner.destroy();
            org.emulator().controls().tokenLatency(Duration.ZERO);
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        long exchanges = subjects.keySet().stream().mapToLong(subject -> org.emulator().counters().exchanges(subject)).sum();
        long errors = statuses.stream().filter(status -> status != 200).count();
        System.out.printf("shared store, 3 gateway processes at defaults, documented ACL, CPU burner: %d subjects x 3"
                + " first requests in %d ms; exchanges per subject %.2f; errors %d%n",
                SUBJECTS, millis, exchanges / (double) SUBJECTS, errors);
        assertThat(statuses).as("first error: %s", firstError.get()).hasSize(3 * SUBJECTS).containsOnly(200);
        assertThat(subjects.keySet().stream().filter(subject -> org.emulator().counters().exchanges(subject) != 1))
                .as("subjects exchanged other than once").isEmpty();
        for (GatewayProcess gateway : rotation) {
            assertThat(gateway.log()).as("%s's log", gateway.name).doesNotContain("-> OPEN")
                    .contains("Shared session store connected to Redis");
        }
    }

    @Test
    @Order(2)
    void aRollingRestartUnderLoadCostsNoExchangeAndNoError() {
        firstError.set(null);
        long exchangesBefore = org.emulator().counters().totalExchanges();
        List<String> tokens = List.copyOf(subjects.values());
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger errors = new AtomicInteger();
        AtomicLong served = new AtomicLong();
        AtomicInteger next = new AtomicInteger();
        Disposable load = Flux.<Integer>generate(sink -> sink.next(next.getAndIncrement()))
                .takeWhile(i -> running.get())
                .flatMap(i -> Mono.delay(Duration.ofMillis(2)).then(call(i, tokens.get(i % tokens.size()))), 8)
                .subscribe(status -> (status == 200 ? served : new AtomicLong()).incrementAndGet(),
                        failure -> errors.incrementAndGet());
        try {
            for (int i = 0; i < 3; i++) {
                GatewayProcess leaving = rotation.remove(0); // out of the rotation first, as a Service does
                GatewayProcess.sleep(300);
                leaving.stop();
                rotation.add(GatewayProcess.start(leaving.name + "-restarted", variables).awaitReady());
                GatewayProcess.sleep(500);
            }
        } finally {
            running.set(false);
            GatewayProcess.sleep(500);
            load.dispose();
        }
        assertThat(errors).hasValue(0);
        assertThat(served.get()).as("first error: %s", firstError.get()).isGreaterThan(100)
                .isGreaterThanOrEqualTo(next.get() - 8L); // at most the last few were cut off
        assertThat(firstError.get()).as("a request that failed under the rolling restart").isNull();
        assertThat(org.emulator().counters().totalExchanges() - exchangesBefore).as("new exchanges").isZero();
        assertThat(redis.aclLog()).as("commands, keys or channels the documented ACL denied (started, served,"
                + " stopped gracefully)").isEmpty();
    }

    /** One request to the gateway {@code index} picks, round-robin over the rotation. */
    private static Mono<Integer> call(int index, String token) {
        List<GatewayProcess> live = List.copyOf(rotation);
        GatewayProcess gateway = live.get(index % live.size());
        return http.headers(headers -> headers.set("Authorization", "Bearer " + token))
                .get().uri("http://127.0.0.1:" + gateway.port + QUERY)
                .responseSingle((response, body) -> body.then(Mono.just(response.status().code())))
                .doOnNext(status -> {
                    if (status != 200) {
                        firstError.compareAndSet(null, "status " + status + " from " + gateway.name);
                    }
                })
                .doOnError(error -> firstError.compareAndSet(null, error + " from " + gateway.name))
                .onErrorReturn(-1);
    }

    /** Another JVM keeping {@code threads} cores busy for at most {@code seconds}. */
    private static Process cpuBurner(int threads, int seconds) {
        try {
            return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), CpuBurner.class.getName(),
                    Integer.toString(threads), Integer.toString(seconds)).inheritIO().start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
