package io.sfgateway.tokenexchange.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfgateway.emulator.ConnectedApp;
import io.sfgateway.emulator.EmulatorConfig;
import io.sfgateway.emulator.SalesforceEmulator;
import io.sfgateway.tokenexchange.shared.EmbeddedRedis;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Contract §5b across real processes: three gateway JVMs sharing one redis-server and one
 * emulated org. Concurrent first requests spread over all three cost one exchange per subject,
 * and a rolling restart under load (each gateway taken out of the rotation, stopped, started
 * again and put back, as a Kubernetes rollout does) costs no exchange and no error: the new
 * process finds every session in Redis.
 */
class SharedStoreProcessesTest {

    private static final String QUERY = "/services/data/v62.0/query?q=SELECT+Id,Name+FROM+Account";
    private static final String CLIENT_ID = "gateway-client";
    private static final String CLIENT_SECRET = "s3cr3t-client-secret-value";
    private static final String AUDIENCE = "salesforce-gateway";
    private static final String HANDLER = "DemoTokenExchangeHandler";
    private static final String KEY = Base64.getEncoder().encodeToString("fedcba9876543210fedcba9876543210".getBytes());

    private static SalesforceEmulator org;
    private static EmbeddedRedis redis;
    private static ConnectionProvider pool;
    private static HttpClient http;
    private static Path logs;
    /** The gateways in the rotation, by port. */
    private static final List<Gateway> rotation = new CopyOnWriteArrayList<>();
    private static final AtomicReference<String> firstError = new AtomicReference<>();

    @BeforeAll
    static void startCluster() throws IOException {
        org = SalesforceEmulator.start(EmulatorConfig.builder()
                .app(new ConnectedApp(CLIENT_ID, CLIENT_SECRET, Set.of(ConnectedApp.TOKEN_TYPE_ACCESS_TOKEN), Set.of(HANDLER)))
                .autoProvisionUsers(true)
                .audience(AUDIENCE)
                .build());
        redis = new EmbeddedRedis();
        pool = ConnectionProvider.builder("processes-test").maxConnections(500).pendingAcquireMaxCount(-1).build();
        http = HttpClient.create(pool).responseTimeout(Duration.ofSeconds(20));
        logs = Files.createDirectories(Path.of("target", "shared-store-processes"));
        List<Gateway> starting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            starting.add(Gateway.start("gateway-" + i));
        }
        starting.forEach(Gateway::awaitReady);
        rotation.addAll(starting);
    }

    @AfterAll
    static void stopCluster() {
        rotation.forEach(Gateway::stop);
        pool.dispose();
        redis.close();
        org.close();
    }

    /** Subjects whose three concurrent first requests go one to each gateway process. */
    private static final int SUBJECTS = 500;

    @Test
    void concurrentFirstRequestsCostOneExchangeEachAndARollingRestartCostsNoneAndNoError() {
        Map<String, String> subjects = new LinkedHashMap<>();
        String run = Long.toHexString(System.nanoTime());
        for (int i = 0; i < SUBJECTS; i++) {
            String subject = "proc-" + run + "-" + i;
            subjects.put(subject, org.idp().mintToken(subject, AUDIENCE));
        }
        org.controls().tokenLatency(Duration.ofMillis(150));
        List<Integer> statuses = Flux.fromIterable(subjects.values())
                .concatMap(token -> Flux.range(0, 3).map(i -> token))
                .index()
                .flatMap(request -> call(request.getT1().intValue(), request.getT2()), 300)
                .collectList().block(Duration.ofSeconds(60));
        assertThat(statuses).as("first error: %s", firstError.get()).hasSize(3 * SUBJECTS).containsOnly(200);
        subjects.keySet().forEach(subject ->
                assertThat(org.counters().exchanges(subject)).as("exchanges of %s", subject).isEqualTo(1));
        org.controls().tokenLatency(Duration.ZERO);

        long exchangesBefore = org.counters().totalExchanges();
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
        AtomicInteger failedStatuses = new AtomicInteger();
        try {
            for (int i = 0; i < 3; i++) {
                Gateway leaving = rotation.remove(0); // out of the rotation first, as a Service does
                pause(300);
                leaving.stop();
                Gateway replacement = Gateway.start(leaving.name + "-restarted");
                replacement.awaitReady();
                rotation.add(replacement);
                pause(500);
            }
        } finally {
            running.set(false);
            pause(500);
            load.dispose();
        }
        long calls = next.get();
        assertThat(errors).hasValue(0);
        assertThat(served.get()).as("first error: %s", firstError.get()).isGreaterThan(100)
                .isGreaterThanOrEqualTo(calls - 8 - failedStatuses.get()); // at most the last few were cut off
        assertThat(firstError.get()).as("a request that failed under the rolling restart").isNull();
        assertThat(org.counters().totalExchanges() - exchangesBefore).as("new exchanges").isZero();
    }

    /** One request to the gateway {@code index} picks, round-robin over the rotation. */
    private static Mono<Integer> call(int index, String token) {
        List<Gateway> live = List.copyOf(rotation);
        Gateway gateway = live.get(index % live.size());
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

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A gateway JVM on the test class path. */
    private static final class Gateway {
        final String name;
        final int port;
        final Process process;

        private Gateway(String name, int port, Process process) {
            this.name = name;
            this.port = port;
            this.process = process;
        }

        static Gateway start(String name) {
            int port = freePort();
            String registration = "--salesforce.token-exchange.registrations.acme.";
            String route = "--spring.cloud.gateway.server.webflux.routes[0].";
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-cp", System.getProperty("java.class.path"),
                    ClusterGatewayMain.class.getName(),
                    "--server.port=" + port,
                    "--server.shutdown=graceful",
                    route + "id=acme",
                    route + "uri=" + org.baseUrl(),
                    route + "predicates[0]=Path=/services/**",
                    route + "filters[0]=SalesforceTokenExchange=acme",
                    registration + "login-url=" + org.baseUrl(),
                    registration + "client-id=" + CLIENT_ID,
                    registration + "client-secret=" + CLIENT_SECRET,
                    registration + "token-handler=" + HANDLER,
                    registration + "instance-url-allowlist=" + org.baseUrl(),
                    registration + "subject.validate=true",
                    registration + "subject.issuer=" + org.idp().issuer(),
                    registration + "subject.jwks-uri=" + org.idp().jwksUri(),
                    registration + "subject.audiences=" + AUDIENCE,
                    "--salesforce.token-exchange.exchange.max-concurrent=512",
                    // Three fresh JVMs, the org and the client share two cores: a cold burst may take a while.
                    "--salesforce.token-exchange.exchange.timeout=10s",
                    "--salesforce.token-exchange.cache.shared.enabled=true",
                    "--salesforce.token-exchange.cache.shared.key-id=k1",
                    "--salesforce.token-exchange.cache.shared.keys.k1=" + KEY,
                    // 1 s, not the 50 ms default: on two loaded cores a 50 ms Redis call times out now and
                    // then, and the gateway then rightly exchanges alone, which the exact counts must not see.
                    "--salesforce.token-exchange.cache.shared.timeout=1s",
                    "--spring.data.redis.host=127.0.0.1",
                    "--spring.data.redis.port=" + redis.port(),
                    "--management.endpoints.web.exposure.include=health",
                    "--management.endpoint.health.probes.enabled=true",
                    "--spring.main.banner-mode=off"));
            try {
                File log = logs.resolve(name + ".log").toFile();
                Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
                return new Gateway(name, port, process);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void awaitReady() {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (true) {
                assertThat(process.isAlive()).as("%s is running (see target/shared-store-processes)", name).isTrue();
                Integer status = http.get().uri("http://127.0.0.1:" + port + "/actuator/health/readiness")
                        .responseSingle((response, body) -> body.then(Mono.just(response.status().code())))
                        .onErrorReturn(-1).block(Duration.ofSeconds(5));
                if (status != null && status == 200) {
                    return;
                }
                assertThat(System.nanoTime()).as("%s ready in time", name).isLessThan(deadline);
                pause(200);
            }
        }

        /** SIGTERM: Spring Boot's graceful shutdown lets requests in flight finish. */
        void stop() {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static int freePort() {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
