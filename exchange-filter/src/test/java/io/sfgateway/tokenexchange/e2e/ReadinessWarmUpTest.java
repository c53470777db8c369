package io.sfgateway.tokenexchange.e2e;

import static io.sfgateway.tokenexchange.e2e.StandaloneGateway.AUDIENCE;
import static io.sfgateway.tokenexchange.e2e.StandaloneGateway.CLIENT_ID;
import static io.sfgateway.tokenexchange.e2e.StandaloneGateway.CLIENT_SECRET;
import static io.sfgateway.tokenexchange.e2e.StandaloneGateway.HANDLER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sfgateway.emulator.ConnectedApp;
import io.sfgateway.emulator.EmulatorConfig;
import io.sfgateway.emulator.SalesforceEmulator;
import io.sfgateway.tokenexchange.shared.EmbeddedRedis;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

/**
 * Ready means ready, through a running gateway: {@code /actuator/health/readiness} answers 200 only
 * once the IdP's keys are fetched (and, with the shared store, Redis has answered), and keeps
 * answering 200 when the IdP or Redis goes away afterwards.
 */
class ReadinessWarmUpTest {

    private static final String QUERY = "/services/data/v62.0/query?q=SELECT+Id,Name+FROM+Account";
    private static final String KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
    private static final HttpClient HTTP = HttpClient.create().responseTimeout(Duration.ofSeconds(10));
    private static final SalesforceEmulator ORG = SalesforceEmulator.start(EmulatorConfig.builder()
            .app(new ConnectedApp(CLIENT_ID, CLIENT_SECRET, Set.of(ConnectedApp.TOKEN_TYPE_ACCESS_TOKEN), Set.of(HANDLER)))
            .autoProvisionUsers(true)
            .audience(AUDIENCE)
            .build());

    @AfterAll
    static void stopOrg() {
        ORG.close();
    }

    @Test
    void readinessWaitsForTheIdpsKeysAndStaysUpWhenTheIdpGoesAway() {
        String keys = HTTP.get().uri(ORG.idp().jwksUri()).responseContent().aggregate().asString().block();
        AtomicBoolean answering = new AtomicBoolean(false);
        AtomicInteger asked = new AtomicInteger();
        // The IdP's JWKS endpoint: 503 until the test lets it answer with the IdP's real keys.
        DisposableServer idp = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.get("/jwks", (request, response) -> {
                    asked.incrementAndGet();
                    return answering.get() ? response.header("Content-Type", "application/json").sendString(Mono.just(keys))
                            : response.status(503).send();
                }))
                .bindNow();
        try (ConfigurableApplicationContext gateway = startGateway(
                Map.of("subject.jwks-uri", "http://127.0.0.1:" + idp.port() + "/jwks"), Map.of())) {
            int port = port(gateway);
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                assertThat(status(port, "/actuator/health/readiness")).as("readiness without the IdP's keys").isEqualTo(503);
                assertThat(asked).as("JWKS fetches that failed").hasValueGreaterThanOrEqualTo(2);
            });
            assertThat(status(port, "/actuator/health/readiness")).isEqualTo(503);

            answering.set(true);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> status(port, "/actuator/health/readiness") == 200);

            idp.disposeNow(); // the IdP goes away: the keys in hand keep serving, and readiness stays UP
            for (int i = 0; i < 10; i++) {
                assertThat(status(port, "/actuator/health/readiness")).as("readiness with the IdP gone").isEqualTo(200);
                pause(200);
            }
            assertThat(call(port, ORG.idp().mintToken("after-idp-outage", AUDIENCE))).isEqualTo(200);
        } finally {
            idp.disposeNow();
        }
    }

    @Test
    void withTheSharedStoreReadinessWaitsForRedisAndStaysUpWhenRedisGoesAway() {
        try (EmbeddedRedis redis = new EmbeddedRedis()) {
            redis.stop(); // not there when the gateway starts
            Map<String, Object> shared = new LinkedHashMap<>();
            shared.put("salesforce.token-exchange.cache.shared.enabled", "true");
            shared.put("salesforce.token-exchange.cache.shared.key-id", "k1");
            shared.put("salesforce.token-exchange.cache.shared.keys.k1", KEY);
            shared.put("spring.data.redis.host", "127.0.0.1");
            shared.put("spring.data.redis.port", Integer.toString(redis.port()));
            try (ConfigurableApplicationContext gateway = startGateway(Map.of(), shared)) {
                int port = port(gateway);
                for (int i = 0; i < 10; i++) {
                    assertThat(status(port, "/actuator/health/readiness")).as("readiness before Redis answered")
                            .isEqualTo(503);
                    pause(200);
                }
                redis.start();
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .until(() -> status(port, "/actuator/health/readiness") == 200);

                redis.stop();
                for (int i = 0; i < 10; i++) {
                    assertThat(status(port, "/actuator/health/readiness")).as("readiness with Redis gone").isEqualTo(200);
                    pause(200);
                }
                assertThat(call(port, ORG.idp().mintToken("redis-gone", AUDIENCE))).as("served alone").isEqualTo(200);
                redis.start(); // close() stops it
            }
        }
    }

    /** A gateway with registration {@code acme} on {@link #ORG}: {@code registration} and {@code others} added. */
    private static ConfigurableApplicationContext startGateway(Map<String, String> registration, Map<String, Object> others) {
        String prefix = StandaloneGateway.REGISTRATION;
        Map<String, Object> properties = StandaloneGateway.acmeOn(ORG);
        registration.forEach((key, value) -> properties.put(prefix + key, value));
        properties.putAll(others);
        properties.put("management.endpoints.web.exposure.include", "health");
        ConfigurableApplicationContext context = new SpringApplicationBuilder(TestGatewayApplication.class,
                SharedStoreClusterTest.OwnNettyResources.class).properties(properties).run();
        CapturedLogs.install(); // the context reset logging
        return context;
    }

    private static int port(ConfigurableApplicationContext gateway) {
        return Integer.parseInt(gateway.getEnvironment().getProperty("local.server.port"));
    }

    private static int status(int port, String path) {
        return HTTP.get().uri("http://127.0.0.1:" + port + path)
                .responseSingle((response, body) -> body.then(Mono.just(response.status().code())))
                .onErrorReturn(-1).block(Duration.ofSeconds(15));
    }

    private static int call(int port, String token) {
        return HTTP.headers(headers -> headers.set("Authorization", "Bearer " + token))
                .get().uri("http://127.0.0.1:" + port + QUERY)
                .responseSingle((response, body) -> body.then(Mono.just(response.status().code())))
                .block(Duration.ofSeconds(15));
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
