package io.sfgateway.tokenexchange.e2e;

import static io.sfgateway.tokenexchange.e2e.StandaloneGateway.AUDIENCE;
import static io.sfgateway.tokenexchange.e2e.StandaloneGateway.CLIENT_ID;
import static io.sfgateway.tokenexchange.e2e.StandaloneGateway.CLIENT_SECRET;
import static io.sfgateway.tokenexchange.e2e.StandaloneGateway.HANDLER;
import static org.assertj.core.api.Assertions.assertThat;

import io.sfgateway.emulator.ConnectedApp;
import io.sfgateway.emulator.EmulatorConfig;
import io.sfgateway.emulator.SalesforceEmulator;
import io.sfgateway.tokenexchange.shared.EmbeddedRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Contract §5b through running gateways: three gateways (three application contexts, each with
 * its own server, cache and Redis connections) sharing one real redis-server and one emulated
 * org, with a client spreading every subject's requests over all three.
 *
 * <p>A rolling restart is proven with separate processes (gateway-app {@code SharedStoreClusterIT}):
 * gateways in one JVM share Reactor Netty's global resources, which closing one context disposes.

 *
 * <p>Every store setting is the product's default.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedStoreClusterTest {

    private static final String QUERY = "/services/data/v62.0/query?q=SELECT+Id,Name+FROM+Account";
    private static final String KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
    private static final CapturedLogs LOGS = CapturedLogs.install();

    private static SalesforceEmulator org;
    private static EmbeddedRedis redis;
    private static ConnectionProvider pool;
    private static HttpClient http;
    private static final List<ConfigurableApplicationContext> gateways = new CopyOnWriteArrayList<>();
    /** Subject to its IdP token: the subjects that already have a session. */
    private static final Map<String, String> cached = new LinkedHashMap<>();
    private static final String run = Long.toHexString(System.nanoTime());

    @BeforeAll
    static void startCluster() {
        org = SalesforceEmulator.start(EmulatorConfig.builder()
                .app(new ConnectedApp(CLIENT_ID, CLIENT_SECRET, Set.of(ConnectedApp.TOKEN_TYPE_ACCESS_TOKEN), Set.of(HANDLER)))
                .autoProvisionUsers(true)
                .audience(AUDIENCE)
                .build());
        redis = new EmbeddedRedis();
        pool = ConnectionProvider.builder("cluster-test").maxConnections(1000).pendingAcquireMaxCount(-1).build();
        http = HttpClient.create(pool).responseTimeout(Duration.ofSeconds(20));
        for (int i = 0; i < 3; i++) {
            gateways.add(startGateway());
        }
    }

    @AfterAll
    static void stopCluster() {
        gateways.forEach(ConfigurableApplicationContext::close);
        pool.dispose();
        redis.close();
        org.close();
        List<String> lines = LOGS.lines();
        for (String token : cached.values()) {
            assertThat(lines).noneMatch(line -> line.contains(token));
        }
        assertThat(lines).noneMatch(line -> line.contains(org.orgId() + "!"));
    }

    @Test
    @Order(1)
    void fiveHundredSubjectsWithConcurrentFirstRequestsOnThreeGatewaysCostOneExchangeEach() {
        org.controls().tokenLatency(Duration.ofMillis(150));
        Map<String, String> subjects = newSubjects("first", 500);
        List<Integer> statuses = Flux.fromIterable(subjects.entrySet())
                .concatMap(subject -> Flux.range(0, 3).map(i -> subject))
                .index()
                .flatMap(request -> call(request.getT1().intValue(), request.getT2().getValue()), 900)
                .collectList().block(Duration.ofSeconds(90));

        assertThat(statuses).hasSize(1500).containsOnly(200);
        Map<String, Long> perSubject = exchangesOf(subjects.keySet());
        assertThat(perSubject).hasSize(500);
        assertThat(perSubject.values()).as("exchanges per subject, counted by the org").containsOnly(1L);
        cached.putAll(subjects);
    }

    @Test
    @Order(2)
    void withRedisKilledCachedSubjectsAreServedNewOnesExchangeAndSingleFlightResumesWhenItIsBack() {
        Load load = Load.start(List.copyOf(cached.values()));
        Replica.pause(300);
        redis.stop();
        try {
            Map<String, String> during = newSubjects("outage", 30);
            List<Integer> statuses = Flux.fromIterable(during.values()).index()
                    .flatMap(request -> call(request.getT1().intValue(), request.getT2()))
                    .collectList().block(Duration.ofSeconds(30));
            assertThat(statuses).as("new subjects with Redis down").hasSize(30).containsOnly(200);
            for (ConfigurableApplicationContext gateway : gateways) {
                assertThat(status(gateway, "/actuator/health/readiness")).as("readiness without Redis").isEqualTo(200);
            }
            Replica.pause(500);
        } finally {
            redis.start();
            load.stop();
        }
        assertThat(load.errors).as("errors for cached subjects with Redis down; first: %s", FIRST_ERROR.get()).hasValue(0);
        assertThat(load.served.get()).isGreaterThan(50);

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!gateways.stream().allMatch(gateway -> status(gateway, "/actuator/health/redis") == 200)) {
            assertThat(System.nanoTime()).as("Redis back in every gateway's health").isLessThan(deadline);
            Replica.pause(200);
        }
        org.controls().tokenLatency(Duration.ofMillis(150));
        Map<String, String> after = newSubjects("after", 100);
        List<Integer> statuses = Flux.fromIterable(after.entrySet())
                .concatMap(subject -> Flux.range(0, 3).map(i -> subject))
                .index()
                .flatMap(request -> call(request.getT1().intValue(), request.getT2().getValue()), 300)
                .collectList().block(Duration.ofSeconds(60));
        assertThat(statuses).hasSize(300).containsOnly(200);
        assertThat(exchangesOf(after.keySet()).values()).as("single flight again").containsOnly(1L);
        org.controls().tokenLatency(Duration.ZERO);
    }

    private static Map<String, String> newSubjects(String prefix, int count) {
        Map<String, String> subjects = new LinkedHashMap<>();
        IntStream.range(0, count).forEach(i -> {
            String subject = prefix + "-" + run + "-" + i;
            subjects.put(subject, org.idp().mintToken(subject, AUDIENCE));
        });
        return subjects;
    }

    private static Map<String, Long> exchangesOf(Set<String> subjects) {
        Map<String, Long> counts = new LinkedHashMap<>();
        subjects.forEach(subject -> counts.put(subject, org.counters().exchanges(subject)));
        return counts;
    }

    /** One request to the gateway {@code index} picks, round-robin over those in the rotation. */
    private static Mono<Integer> call(int index, String token) {
        List<ConfigurableApplicationContext> live = List.copyOf(gateways);
        int port = port(live.get(index % live.size()));
        return http.headers(headers -> headers.set("Authorization", "Bearer " + token))
                .get().uri("http://127.0.0.1:" + port + QUERY)
                .responseSingle((response, body) -> body.then(Mono.just(response.status().code())))
                .doOnError(error -> FIRST_ERROR.compareAndSet(null, error.toString()))
                .onErrorReturn(-1);
    }

    private static final java.util.concurrent.atomic.AtomicReference<String> FIRST_ERROR =
            new java.util.concurrent.atomic.AtomicReference<>();

    private static int status(ConfigurableApplicationContext gateway, String path) {
        return http.get().uri("http://127.0.0.1:" + port(gateway) + path)
                .responseSingle((response, body) -> body.then(Mono.just(response.status().code())))
                .onErrorReturn(-1).block(Duration.ofSeconds(10));
    }

    private static int port(ConfigurableApplicationContext gateway) {
        return Integer.parseInt(gateway.getEnvironment().getProperty("local.server.port"));
    }

    private static ConfigurableApplicationContext startGateway() {
        Map<String, Object> properties = StandaloneGateway.acmeOn(org);
        properties.put("server.shutdown", "graceful");
        properties.put("salesforce.token-exchange.exchange.max-concurrent", "512"); // 500 first requests at once
        properties.put("salesforce.token-exchange.cache.shared.enabled", "true");
        properties.put("salesforce.token-exchange.cache.shared.key-id", "k1");
        properties.put("salesforce.token-exchange.cache.shared.keys.k1", KEY);
        properties.put("spring.data.redis.host", "127.0.0.1");
        properties.put("spring.data.redis.port", Integer.toString(redis.port()));
        properties.put("spring.data.redis.connect-timeout", "500ms");
        properties.put("management.endpoints.web.exposure.include", "health");
        properties.put("management.endpoint.health.probes.enabled", "true");
        properties.put("management.endpoint.health.show-components", "always");
        ConfigurableApplicationContext context = new SpringApplicationBuilder(TestGatewayApplication.class,
                OwnNettyResources.class).properties(properties).run();
        CapturedLogs.install(); // the context reset logging
        return context;
    }

    /**
     * Each gateway's server on its own Reactor Netty resources: with the global ones (Spring
     * Boot's default), closing one context disposes the event loops every other gateway, and
     * every other test in this JVM, still uses.
     */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class OwnNettyResources {
        @org.springframework.context.annotation.Bean
        org.springframework.http.client.ReactorResourceFactory reactorResourceFactory() {
            org.springframework.http.client.ReactorResourceFactory factory =
                    new org.springframework.http.client.ReactorResourceFactory();
            factory.setUseGlobalResources(false);
            return factory;
        }
    }

    /** Cached subjects called round-robin over the gateways in the rotation until stopped; counts what failed. */
    private static final class Load {
        final AtomicInteger errors = new AtomicInteger();
        final AtomicLong served = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private Disposable traffic;

        static Load start(List<String> tokens) {
            assertThat(tokens).as("subjects with a session").isNotEmpty();
            Load load = new Load();
            AtomicInteger next = new AtomicInteger();
            load.traffic = Flux.<Integer>generate(sink -> sink.next(next.getAndIncrement()))
                    .takeWhile(i -> load.running.get())
                    .flatMap(i -> Mono.delay(Duration.ofMillis(2)).then(call(i, tokens.get(i % tokens.size()))), 16)
                    .subscribe(status -> {
                        if (status == 200) {
                            load.served.incrementAndGet();
                        } else {
                            load.errors.incrementAndGet();
                        }
                    }, failure -> load.errors.incrementAndGet());
            return load;
        }

        void stop() {
            running.set(false);
            Replica.pause(500);
            traffic.dispose();
        }
    }

    private static final class Replica {
        static void pause(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
