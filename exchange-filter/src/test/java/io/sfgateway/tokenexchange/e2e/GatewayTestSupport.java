package io.sfgateway.tokenexchange.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfgateway.emulator.ConnectedApp;
import io.sfgateway.emulator.EmulatorConfig;
import io.sfgateway.emulator.SalesforceEmulator;
import io.sfgateway.emulator.TokenFault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The end-to-end rig shared by every e2e test class (one Spring context, cached): the real
 * gateway on a random port, in front of two emulated orgs with their IdPs.
 * <ul>
 *   <li>{@code acme} ({@code /services/**}): subject tokens validated locally, confidential
 *       client, 2 h sessions, on {@link #ORG};</li>
 *   <li>{@code opaque} ({@code /opaque/services/**}): no local validation, same org;</li>
 *   <li>{@code short} ({@code /short/services/**}): 4 s sessions, for refresh-ahead;</li>
 *   <li>{@code fragile} ({@code /fragile/services/**}): on {@link #FRAGILE_ORG}, which tests
 *       make hang or fail; its breaker opens after 4 failures and half-opens after 2 s.</li>
 * </ul>
 * Every token minted through {@link #mint} is remembered, and after each class the captured
 * logs are checked for every token, the client secret, and anything shaped like a session id.
 */
@SpringBootTest(classes = TestGatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class GatewayTestSupport {

    static final String CLIENT_ID = "gateway-client";
    static final String CLIENT_SECRET = "s3cr3t-client-secret-value";
    static final String AUDIENCE = "salesforce-gateway";
    static final String HANDLER = "DemoTokenExchangeHandler";
    /** Opaque test tokens are {@code opaque.<subject>}: an RFC 6750 b64token the emulated handler maps to a user. */
    static final String OPAQUE_PREFIX = "opaque.";
    /** A host no resolver knows (RFC 6761 reserves .invalid). */
    static final String NO_DNS = "https://sf-gateway-test.invalid";
    static final Duration EXCHANGE_TIMEOUT = Duration.ofMillis(1500);

    static final SalesforceEmulator ORG = startOrg();
    /** A token endpoint that answers whatever a test stubs, and an attacker's server for jku/x5u tests. */
    static final com.github.tomakehurst.wiremock.WireMockServer STUB = startStub();
    static final SalesforceEmulator FRAGILE_ORG = startOrg();
    static final CapturedLogs LOGS = CapturedLogs.install();
    static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry circuitBreakers;

    WebTestClient client;

    private static SalesforceEmulator startOrg() {
        return SalesforceEmulator.start(EmulatorConfig.builder()
                .app(new ConnectedApp(CLIENT_ID, CLIENT_SECRET,
                        Set.of(ConnectedApp.TOKEN_TYPE_ACCESS_TOKEN, ConnectedApp.TOKEN_TYPE_JWT), Set.of(HANDLER)))
                .autoProvisionUsers(true)
                .opaqueTokenRule(token -> token.startsWith(OPAQUE_PREFIX)
                        ? java.util.Optional.of(token.substring(OPAQUE_PREFIX.length()))
                        : java.util.Optional.empty())
                .audience(AUDIENCE)
                .build());
    }

    private static com.github.tomakehurst.wiremock.WireMockServer startStub() {
        com.github.tomakehurst.wiremock.WireMockServer stub = new com.github.tomakehurst.wiremock.WireMockServer(
                com.github.tomakehurst.wiremock.core.WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        stub.start();
        return stub;
    }

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry properties) {
        String routes = "spring.cloud.gateway.server.webflux.routes";
        route(properties, routes, 0, "acme", "/services/**", ORG::baseUrl, false);
        route(properties, routes, 1, "opaque", "/opaque/services/**", ORG::baseUrl, true);
        route(properties, routes, 2, "short", "/short/services/**", ORG::baseUrl, true);
        route(properties, routes, 3, "fragile", "/fragile/services/**", FRAGILE_ORG::baseUrl, true);
        route(properties, routes, 4, "stub", "/stub/services/**", STUB::baseUrl, true);
        route(properties, routes, 5, "nodns", "/nodns/services/**", () -> NO_DNS, true);
        route(properties, routes, 6, "notls", "/notls/services/**", () -> "https://127.0.0.1:" + STUB.port(), true);
        registration(properties, "acme", ORG, true, "2h");
        registration(properties, "opaque", ORG, false, "2h");
        registration(properties, "short", ORG, true, "4s");
        registration(properties, "fragile", FRAGILE_ORG, true, "2h");
        // Hostile token endpoints: anything they issue must point at the real org's domain.
        properties.add("salesforce.token-exchange.registrations.stub.login-url", STUB::baseUrl);
        properties.add("salesforce.token-exchange.registrations.stub.client-id", () -> CLIENT_ID);
        properties.add("salesforce.token-exchange.registrations.stub.subject.validate", () -> "false");
        properties.add("salesforce.token-exchange.registrations.stub.client-secret", () -> CLIENT_SECRET);
        properties.add("salesforce.token-exchange.registrations.stub.instance-url-allowlist", () -> "https://*.my.salesforce.com");
        properties.add("salesforce.token-exchange.registrations.nodns.login-url", () -> NO_DNS);
        properties.add("salesforce.token-exchange.registrations.nodns.client-id", () -> CLIENT_ID);
        properties.add("salesforce.token-exchange.registrations.nodns.subject.validate", () -> "false");
        properties.add("salesforce.token-exchange.registrations.notls.login-url", () -> "https://127.0.0.1:" + STUB.port());
        properties.add("salesforce.token-exchange.registrations.notls.client-id", () -> CLIENT_ID);
        properties.add("salesforce.token-exchange.registrations.notls.subject.validate", () -> "false");
        properties.add("salesforce.token-exchange.exchange.timeout", () -> EXCHANGE_TIMEOUT.toMillis() + "ms");
        properties.add("salesforce.token-exchange.cache.rejection-ttl", () -> "3s");
        String breaker = "resilience4j.circuitbreaker.instances.salesforce-token-exchange-fragile.";
        properties.add(breaker + "sliding-window-size", () -> "4");
        properties.add(breaker + "minimum-number-of-calls", () -> "4");
        properties.add(breaker + "failure-rate-threshold", () -> "50");
        properties.add(breaker + "wait-duration-in-open-state", () -> "2s");
        properties.add(breaker + "permitted-number-of-calls-in-half-open-state", () -> "1");
        properties.add("server.max-http-request-header-size", () -> "16KB");
        properties.add("management.endpoints.web.exposure.include", () -> "health,prometheus");
        properties.add("management.endpoint.health.probes.enabled", () -> "true");
    }

    private static void route(DynamicPropertyRegistry properties, String routes, int index, String registration,
            String path, java.util.function.Supplier<Object> uri, boolean stripPrefix) {
        String route = routes + "[" + index + "].";
        properties.add(route + "id", () -> registration);
        properties.add(route + "uri", uri);
        properties.add(route + "predicates[0]", () -> "Path=" + path);
        int filter = 0;
        if (stripPrefix) {
            properties.add(route + "filters[" + filter++ + "]", () -> "StripPrefix=1");
        }
        properties.add(route + "filters[" + filter + "]", () -> "SalesforceTokenExchange=" + registration);
    }

    private static void registration(DynamicPropertyRegistry properties, String name, SalesforceEmulator org,
            boolean validate, String sessionTimeout) {
        String key = "salesforce.token-exchange.registrations." + name + ".";
        properties.add(key + "login-url", org::baseUrl);
        properties.add(key + "client-id", () -> CLIENT_ID);
        properties.add(key + "client-secret", () -> CLIENT_SECRET);
        properties.add(key + "token-handler", () -> HANDLER);
        properties.add(key + "scopes", () -> "api");
        properties.add(key + "session-timeout", () -> sessionTimeout);
        properties.add(key + "instance-url-allowlist", org::baseUrl);
        properties.add(key + "subject.validate", () -> Boolean.toString(validate));
        properties.add(key + "subject.issuer", () -> org.idp().issuer());
        properties.add(key + "subject.jwks-uri", () -> org.idp().jwksUri());
        properties.add(key + "subject.audiences", () -> AUDIENCE);
        properties.add(key + "subject.jwks.min-refresh", () -> "100ms");
    }

    @BeforeEach
    void resetOrgsAndClient() {
        CapturedLogs.install(); // Spring Boot re-initialises logging when the context starts
        for (SalesforceEmulator org : List.of(ORG, FRAGILE_ORG)) {
            org.controls().tokenFault(TokenFault.NONE);
            org.controls().tokenLatency(Duration.ZERO);
            org.controls().restLatency(Duration.ZERO);
            org.controls().instanceUrl(null);
        }
        circuitBreakers.getAllCircuitBreakers().forEach(breaker -> breaker.reset());
        STUB.resetAll();
        client = WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(20))
                .build();
    }

    /** An IdP token for {@code subject} from {@link #ORG}'s IdP, remembered for the log scan. */
    static String mint(String subject) {
        return remember(ORG.idp().mintToken(subject, AUDIENCE));
    }

    static String remember(String token) {
        SECRETS.add(token);
        return token;
    }

    /** A subject name no other test uses, so the shared cache never carries over between tests. */
    static String uniqueSubject(String name) {
        return name + "-" + Long.toHexString(System.nanoTime());
    }

    /** Remembers the Salesforce access token the org last saw, for the log scan. */
    static void rememberLastSessionOf(SalesforceEmulator org) {
        if (org.counters().lastRestRequest() == null) {
            return;
        }
        String authorization = org.counters().lastRestRequest().header("Authorization");
        if (authorization != null) {
            SECRETS.add(authorization.replaceFirst("(?i)^Bearer ", ""));
        }
    }

    @AfterAll
    static void noSecretInAnyLogLine() {
        rememberLastSessionOf(ORG);
        rememberLastSessionOf(FRAGILE_ORG);
        List<String> lines = LOGS.lines();
        assertThat(lines).as("captured log lines").isNotEmpty();
        for (String secret : SECRETS) {
            assertThat(lines).noneMatch(line -> line.contains(secret));
        }
        assertThat(lines).noneMatch(line -> line.contains(CLIENT_SECRET));
        // Salesforce session ids start with the org id and '!'; none may ever be logged.
        assertThat(lines).noneMatch(line -> line.contains(ORG.orgId() + "!"));
        assertThat(lines).noneMatch(line -> line.contains(FRAGILE_ORG.orgId() + "!"));
    }

    WebTestClient.ResponseSpec get(String path, String token) {
        return client.get().uri(path).header("Authorization", "Bearer " + token).exchange();
    }

    static Map<String, String> lastForm(SalesforceEmulator org) {
        return org.counters().lastTokenForm();
    }
}
