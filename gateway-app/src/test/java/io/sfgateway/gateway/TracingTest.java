package io.sfgateway.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.sfgateway.emulator.SalesforceEmulator;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.web.reactive.server.WebTestClient;
import redis.embedded.RedisServer;

/**
 * A request through the ready gateway with a W3C {@code traceparent} continues the caller's trace:
 * the JWKS fetch, the shared store's read and lock, the token exchange and the forwarded call are
 * spans of it, under the gateway's server span, and no span holds the caller's token, its subject,
 * the Salesforce session id or the instance URL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TracingTest {

    private static final String QUERY = "/services/data/v62.0/query?q=SELECT+Id+FROM+Account";
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN_ID = "00f067aa0ba902b7";
    private static final String KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    private RedisServer redis;
    private EmulatedOrg emulated;
    private ConfigurableApplicationContext app;

    @BeforeAll
    void startRedisTheOrgAndTheGateway() throws IOException {
        int redisPort = freePort();
        redis = RedisServer.newRedisServer().bind("127.0.0.1").port(redisPort)
                .setting("save \"\"").setting("appendonly no").build();
        redis.start();
        emulated = new EmulatedOrg();
        app = new SpringApplication(GatewayApplication.class, SpansInMemory.class).run(emulated.gatewayArgs(
                // What an operator sets to trace (docs/OPERATIONS.md); the exporter here is in memory.
                "--management.opentelemetry.enabled=true",
                "--SF_CACHE_SHARED_ENABLED=true", "--SF_CACHE_SHARED_KEY_ID=k1",
                "--salesforce.token-exchange.cache.shared.keys.k1=" + KEY,
                "--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + redisPort,
                // Key rotation is what sends a request to the IdP: a token signed with a key the
                // gateway has not seen, once min-refresh has passed since the start-up fetch.
                "--salesforce.token-exchange.registrations.salesforce.subject.jwks.min-refresh=1s"));
    }

    @AfterAll
    void stop() throws IOException {
        if (app != null) {
            app.close();
        }
        if (emulated != null) {
            emulated.close();
        }
        if (redis != null) {
            redis.stop();
        }
    }

    @Test
    @Order(1)
    void aTracedRequestShowsTheJwksFetchTheStoreTheExchangeAndTheForwardUnderTheCallersTrace() {
        SalesforceEmulator org = emulated.emulator();
        InMemorySpanExporter spans = app.getBean(InMemorySpanExporter.class);
        SdkTracerProvider tracer = app.getBean(SdkTracerProvider.class);
        WebTestClient gateway = WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port"))
                .responseTimeout(Duration.ofSeconds(10)).build();
        // An untraced request first: it waits for the start-up JWKS fetch, so the keys are in hand.
        gateway.get().uri(QUERY).header("Authorization", "Bearer " + emulated.token("bob")).exchange().expectStatus().isOk();
        org.idp().rotateKey();
        String token = emulated.token("alice");
        sleep(Duration.ofMillis(1100));

        gateway.get().uri(QUERY)
                .header("Authorization", "Bearer " + token)
                .header("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN_ID + "-01")
                .exchange().expectStatus().isOk();
        assertThat(org.counters().lastRestRequest().header("traceparent"))
                .as("the forwarded call carries the caller's trace").contains(TRACE_ID);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            tracer.forceFlush().join(5, TimeUnit.SECONDS);
            assertThat(trace(spans)).extracting(SpanData::getName)
                .contains("salesforce token exchange", "session store get", "session store lock");
            assertThat(trace(spans)).anyMatch(TracingTest::isJwksFetch)
                .anyMatch(span -> span.getKind() == SpanKind.CLIENT && span.getAttributes()
                        .get(AttributeKey.stringKey("spring.cloud.gateway.route.id")) != null);
        });
        List<SpanData> trace = trace(spans);
        printTree(trace);

        SpanData server = only(trace, span -> span.getKind() == SpanKind.SERVER);
        assertThat(server.getParentSpanId()).as("the server span continues the caller's span").isEqualTo(CALLER_SPAN_ID);
        SpanData exchange = only(trace, span -> span.getName().equals("salesforce token exchange"));
        assertThat(exchange.getAttributes().get(AttributeKey.stringKey("registration"))).isEqualTo("salesforce");
        assertThat(exchange.getAttributes().get(AttributeKey.stringKey("outcome"))).isEqualTo("success");
        SpanData read = only(trace, span -> span.getName().equals("session store get"));
        assertThat(read.getAttributes().get(AttributeKey.stringKey("outcome"))).isEqualTo("miss");
        SpanData lock = only(trace, span -> span.getName().equals("session store lock"));
        assertThat(lock.getAttributes().get(AttributeKey.stringKey("outcome"))).isEqualTo("acquired");
        SpanData jwks = only(trace, TracingTest::isJwksFetch);
        SpanData forward = only(trace, span -> span.getKind() == SpanKind.CLIENT
                && span.getAttributes().get(AttributeKey.stringKey("spring.cloud.gateway.route.id")) != null);
        assertThat(forward.getAttributes().get(AttributeKey.stringKey("http.uri"))).isEqualTo("/services/data/v62.0/query");

        Map<String, SpanData> byId = trace.stream().collect(Collectors.toMap(SpanData::getSpanId, span -> span));
        for (SpanData span : List.of(jwks, read, lock, exchange, forward)) {
            assertThat(ancestors(span, byId)).as(span.getName() + " descends from the server span").contains(server.getSpanId());
        }
        assertThat(jwks.getEndEpochNanos()).as("the JWKS fetch ends before the exchange starts")
                .isLessThanOrEqualTo(exchange.getStartEpochNanos());

        String session = org.counters().lastRestRequest().header("Authorization").substring("Bearer ".length());
        List<String> secrets = List.of(token, session, "alice", org.instanceUrl());
        for (SpanData span : spans.getFinishedSpanItems()) {
            span.getAttributes().forEach((key, value) -> {
                String text = String.valueOf(value);
                boolean idpUrl = key.getKey().equals("http.url") && text.equals(org.idp().jwksUri());
                for (String secret : secrets) {
                    if (!(idpUrl && secret.equals(org.instanceUrl()))) { // the emulated IdP shares the org's host
                        assertThat(text).as(span.getName() + " " + key.getKey()).doesNotContain(secret);
                    }
                }
            });
            assertThat(span.getName()).doesNotContain(token).doesNotContain("alice");
        }
    }

    /**
     * Every metric the dashboard and the alert rules query is one this gateway exposes on
     * {@code /actuator/prometheus} after traffic: exchanges, a refusal, shared-store reads.
     */
    @Test
    @Order(2)
    void everyMetricTheDashboardAndTheAlertsQueryIsExposed() {
        WebTestClient gateway = WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port"))
                .responseTimeout(Duration.ofSeconds(10)).build();
        gateway.get().uri(QUERY).header("Authorization", "Bearer " + emulated.token("bob")).exchange().expectStatus().isOk();
        gateway.get().uri(QUERY).header("Authorization", "Bearer not-a-jwt").exchange().expectStatus().isUnauthorized();
        String prometheus = WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + app.getEnvironment().getProperty("local.management.port")).build()
                .get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();

        java.util.Set<String> exposed = MonitoringQueries.exposedNames(prometheus);
        java.util.Set<String> queried = MonitoringQueries.queriedNames();
        assertThat(queried).as("names read from the dashboard and the rules").contains(
                "salesforce_token_exchange_seconds_count", "resilience4j_circuitbreaker_state", "cache_gets_total");
        java.util.Set<String> missing = new java.util.TreeSet<>(queried);
        missing.removeAll(exposed);
        assertThat(missing).as("metrics queried by the dashboard or the rules that the gateway does not expose").isEmpty();
    }

    private static boolean isJwksFetch(SpanData span) {
        return span.getKind() == SpanKind.CLIENT && Optional.ofNullable(span.getAttributes().get(AttributeKey.stringKey("http.url")))
                .filter(url -> url.endsWith("/jwks") || url.contains("jwks")).isPresent();
    }

    private static List<SpanData> trace(InMemorySpanExporter spans) {
        return spans.getFinishedSpanItems().stream().filter(span -> span.getTraceId().equals(TRACE_ID)).toList();
    }

    private static SpanData only(List<SpanData> spans, java.util.function.Predicate<SpanData> which) {
        List<SpanData> found = spans.stream().filter(which).toList();
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    private static List<String> ancestors(SpanData span, Map<String, SpanData> byId) {
        List<String> ids = new ArrayList<>();
        SpanData current = span;
        while (current != null && ids.size() < 50) {
            ids.add(current.getParentSpanId());
            current = byId.get(current.getParentSpanId());
        }
        return ids;
    }

    private static void printTree(List<SpanData> trace) {
        Map<String, List<SpanData>> children = new HashMap<>();
        trace.forEach(span -> children.computeIfAbsent(span.getParentSpanId(), id -> new ArrayList<>()).add(span));
        print(children, CALLER_SPAN_ID, "");
    }

    private static void print(Map<String, List<SpanData>> children, String parent, String indent) {
        for (SpanData span : children.getOrDefault(parent, List.of())) {
            System.out.printf("%s%s [%s] %s%n", indent, span.getName(), span.getKind(), span.getAttributes().asMap()
                    .entrySet().stream().map(e -> e.getKey().getKey() + "=" + e.getValue()).sorted().toList());
            print(children, span.getSpanId(), indent + "  ");
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Spans kept in memory; Spring Boot adds every {@code SpanExporter} bean to its span processor. */
    @Configuration(proxyBeanMethods = false)
    static class SpansInMemory {
        @Bean
        InMemorySpanExporter inMemorySpanExporter() {
            return InMemorySpanExporter.create();
        }
    }
}
