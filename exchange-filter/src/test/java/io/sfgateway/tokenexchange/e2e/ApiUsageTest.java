package io.sfgateway.tokenexchange.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.sfgateway.emulator.ConnectedApp;
import io.sfgateway.emulator.EmulatorConfig;
import io.sfgateway.emulator.SalesforceEmulator;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Contract §4 and §6 on the org's API usage, through the running gateway in front of an emulated
 * org whose daily allocation the tests set: the gauges follow {@code Sforce-Limit-Info}, one WARN
 * per threshold crossed, {@code shed-above} turns requests into 429 and back, Salesforce's own
 * {@code REQUEST_LIMIT_EXCEEDED} passes through untouched, and a malformed header changes nothing
 * for the caller. Registrations: {@code watched} (defaults: WARNs, no shedding) and {@code limited}
 * ({@code shed-above: 0.9}, {@code retry-after: 1s} so the probe comes within the test).
 */
@SpringBootTest(classes = TestGatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApiUsageTest {

    private static final String CLIENT_ID = "api-usage-client";
    private static final String CLIENT_SECRET = "api-usage-client-secret-value";
    private static final String HANDLER = "AcmeTokenExchangeHandler";
    private static final String LIMITS = "/services/data/v62.0/limits";
    private static final String LIMIT_EXCEEDED =
            "[{\"message\":\"TotalRequests Limit exceeded.\",\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]";

    static final SalesforceEmulator ORG = SalesforceEmulator.start(EmulatorConfig.builder()
            .app(new ConnectedApp(CLIENT_ID, CLIENT_SECRET, Set.of(ConnectedApp.TOKEN_TYPE_ACCESS_TOKEN), Set.of(HANDLER)))
            .autoProvisionUsers(true)
            .opaqueTokenRule(token -> token.startsWith("opaque.") ? Optional.of(token.substring(7)) : Optional.empty())
            .build());
    static final CapturedLogs LOGS = CapturedLogs.install();

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    WebTestClient client;

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry properties) {
        String[] names = {"watched", "limited"};
        for (int i = 0; i < names.length; i++) {
            String route = "spring.cloud.gateway.server.webflux.routes[" + i + "].";
            String name = names[i];
            properties.add(route + "id", () -> name);
            properties.add(route + "uri", ORG::baseUrl);
            properties.add(route + "predicates[0]", () -> "Path=/" + name + "/services/**");
            properties.add(route + "filters[0]", () -> "StripPrefix=1");
            properties.add(route + "filters[1]", () -> "SalesforceTokenExchange=" + name);
            String key = "salesforce.token-exchange.registrations." + name + ".";
            properties.add(key + "login-url", ORG::baseUrl);
            properties.add(key + "client-id", () -> CLIENT_ID);
            properties.add(key + "client-secret", () -> CLIENT_SECRET);
            properties.add(key + "scopes", () -> "api");
            properties.add(key + "token-handler", () -> HANDLER);
            properties.add(key + "subject.validate", () -> "false");
        }
        properties.add("salesforce.token-exchange.registrations.limited.api-usage.shed-above", () -> "0.9");
        properties.add("salesforce.token-exchange.registrations.limited.api-usage.retry-after", () -> "1s");
        properties.add("management.endpoints.web.exposure.include", () -> "health,prometheus");
    }

    @BeforeEach
    void resetOrgAndClient() {
        CapturedLogs.install(); // Spring Boot re-initialises logging when the context starts
        ORG.apiAllocation().limitInfoOverride(null);
        ORG.apiAllocation().limit(1000);
        ORG.apiAllocation().usage(0);
        client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(20)).build();
    }

    @AfterAll
    static void stopOrg() {
        ORG.close();
    }

    private WebTestClient.ResponseSpec get(String registration, String subject) {
        return client.get().uri("/" + registration + LIMITS).header("Authorization", "Bearer opaque.api-usage-" + subject).exchange();
    }

    /** Puts the org at {@code used} requests, then makes one call (which spends one more). */
    private void callAt(String registration, long used) {
        ORG.apiAllocation().usage(used);
        get(registration, "alice").expectStatus().isOk()
                .expectHeader().valueEquals("Sforce-Limit-Info", "api-usage=" + (used + 1) + "/1000");
    }

    private double gauge(String name, String registration) {
        return meters.get(name).tag("registration", registration).tag("org", ORG.orgId()).gauge().value();
    }

    private List<String> usageWarnings() {
        return LOGS.lines().stream()
                .filter(line -> line.startsWith("io.sfgateway.tokenexchange.apiusage.ApiUsageMonitor "))
                .filter(line -> line.contains("(registration 'watched')") && line.contains("api-usage.warn-at"))
                .toList();
    }

    @Test
    void theGaugesFollowTheHeaderAndOneWarnFiresAtEachThreshold() {
        callAt("watched", 10); // a low start: whatever an earlier test left is behind
        assertThat(gauge("salesforce.api.usage", "watched")).isEqualTo(11);
        assertThat(gauge("salesforce.api.limit", "watched")).isEqualTo(1000);
        int before = usageWarnings().size();

        callAt("watched", 789); // 79 %
        assertThat(gauge("salesforce.api.usage", "watched")).isEqualTo(790);
        assertThat(usageWarnings()).hasSize(before);
        callAt("watched", 809); // 81 %
        callAt("watched", 815);
        callAt("watched", 820);
        assertThat(usageWarnings()).hasSize(before + 1);
        assertThat(usageWarnings().get(before)).contains(ORG.orgId()).contains("810 of its 1000").contains("80.0 %");
        callAt("watched", 959); // 96 %
        callAt("watched", 965);
        assertThat(usageWarnings()).hasSize(before + 2);
        assertThat(usageWarnings().get(before + 1)).contains("960 of its 1000").contains("95.0 %");
        assertThat(gauge("salesforce.api.usage", "watched")).isEqualTo(966);

        callAt("watched", 100); // the daily window moved on
        assertThat(usageWarnings()).hasSize(before + 2);
        callAt("watched", 809);
        assertThat(usageWarnings()).as("a new crossing, a new WARN").hasSize(before + 3);
        assertThat(meters.find("salesforce.api.usage").gauges()).allSatisfy(gauge ->
                assertThat(gauge.getId().getTag("org")).isEqualTo(ORG.orgId()));
    }

    @Test
    void aboveShedAboveRequestsAre429AtOnceUntilAProbeReadsTheUsageBackBelow() {
        callAt("limited", 10);
        String subject = "shed-" + Long.toHexString(System.nanoTime());
        callAt("limited", 950); // 95.1 %: this one still goes through; the next ones are shed
        long restCalls = ORG.counters().restCalls();
        long tokenRequests = ORG.counters().tokenRequests();
        double shedBefore = refusedForApiLimit();

        for (String caller : List.of("alice", subject)) { // a cached session and a new subject alike
            get("limited", caller).expectStatus().isEqualTo(429)
                    .expectHeader().valueEquals("Retry-After", "1")
                    .expectHeader().contentType("application/json")
                    .expectBody(String.class).isEqualTo("{\"error\":\"too_many_requests\",\"error_description\":"
                            + "\"The Salesforce org's daily API requests are nearly spent; retry later.\"}");
        }
        assertThat(ORG.counters().restCalls()).as("nothing forwarded").isEqualTo(restCalls);
        assertThat(ORG.counters().tokenRequests()).as("nothing exchanged").isEqualTo(tokenRequests);
        assertThat(refusedForApiLimit()).isEqualTo(shedBefore + 2);
        get("watched", "alice").expectStatus().isOk(); // another registration sheds nothing of its own

        ORG.apiAllocation().usage(100); // the daily window moved on; only a probe can tell
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> get("limited", "alice").expectStatus().isOk());
        get("limited", subject).expectStatus().isOk();
        get("limited", "alice").expectStatus().isOk();
    }

    @Test
    void requestLimitExceededPassesThroughUntouchedAndIsCounted() {
        callAt("watched", 10);
        double before = meters.get("salesforce.api.limit.exceeded").tag("registration", "watched")
                .tag("org", ORG.orgId()).counter().count();
        ORG.apiAllocation().usage(1000);
        get("watched", "alice").expectStatus().isForbidden()
                .expectHeader().valueEquals("Sforce-Limit-Info", "api-usage=1000/1000")
                .expectBody(String.class).isEqualTo(LIMIT_EXCEEDED);
        assertThat(meters.get("salesforce.api.limit.exceeded").tag("registration", "watched")
                .tag("org", ORG.orgId()).counter().count()).isEqualTo(before + 1);
        ORG.apiAllocation().usage(10);
    }

    @Test
    void aMalformedHeaderChangesNothingForTheCaller() {
        callAt("limited", 10);
        double malformed = meters.get("salesforce.api.usage.malformed").tag("registration", "limited").counter().count();
        for (String garbage : List.of("api-usage=lots/1000", "nonsense", "api-usage=999/0")) {
            ORG.apiAllocation().limitInfoOverride(garbage);
            get("limited", "alice").expectStatus().isOk()
                    .expectHeader().valueEquals("Sforce-Limit-Info", garbage)
                    .expectBody(String.class).value(body -> assertThat(body).contains("DailyApiRequests"));
        }
        assertThat(meters.get("salesforce.api.usage.malformed").tag("registration", "limited").counter().count())
                .isEqualTo(malformed + 3);
        assertThat(gauge("salesforce.api.usage", "limited")).as("the last good figure stays").isEqualTo(11);
        get("limited", "alice").expectStatus().isOk();
    }

    private double refusedForApiLimit() {
        var counter = meters.find("salesforce.token.exchange.refused").tag("registration", "limited")
                .tag("reason", "api_limit_shed").counter();
        return counter == null ? 0 : counter.count();
    }
}
