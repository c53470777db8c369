package io.sfgateway.tokenexchange.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfgateway.emulator.ConnectedApp;
import io.sfgateway.emulator.EmulatorConfig;
import io.sfgateway.emulator.SalesforceEmulator;
import java.time.Duration;
import java.util.Optional;
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
 * The rig of the real-org tests (docs/REAL-ORGS.md): the real gateway on a random port in front of
 * one emulated org whose {@link io.sfgateway.emulator.OrgPolicies} each test sets the way a real
 * org's administrator might have, and which is reset before each test. Its own Spring context,
 * so that these registrations do not change the shared rig's.
 *
 * <p>Subject tokens are opaque ({@code opaque.<subject>} or {@code opaque.<subject>~<n>}, several
 * tokens for one user): the emulated Apex handler is what validates them, as with
 * {@code subject.validate: false} on a real org. Each registration {@code <name>} is routed at
 * {@code /<name>/services/**}:
 * <ul>
 *   <li>{@code real}: names its handler, scope {@code api}, 2 h sessions;</li>
 *   <li>{@code nohandler}: no {@code token-handler} (relies on the app's default handler);</li>
 *   <li>{@code refresh}: scopes {@code api, refresh_token} (what the docs advise against);</li>
 *   <li>{@code noscopes}: no {@code scopes} at all (Salesforce then grants every scope of the app);</li>
 *   <li>{@code iprange}: like {@code real}, for the Login IP Ranges test (its one WARN is per registration);</li>
 *   <li>{@code jwtformat}: like {@code real}, for JWT-format access tokens.</li>
 *   <li>{@code jwt}: the {@code jwt} shorthand; {@code jwtlower}: RFC 8693's lower-case URN;</li>
 *   <li>{@code wrongclient}: a consumer key the org does not know;</li>
 *   <li>{@code throttle}: a breaker that opens after two failures of two calls;</li>
 *   <li>{@code site}: the login URL is the Experience Cloud site {@code <org>/partners};</li>
 *   <li>{@code sitehost}: the login URL is the site on a host of its own, {@code http://127.0.0.2:<port>/partners}
 *       ({@link #SITE_HOST}), as a real site on {@code <name>.my.site.com}, with the default allowlist;</li>
 *   <li>{@code siteorgonly}: the same site, with an allowlist naming only the org's own host.</li>
 * </ul>
 */
@SpringBootTest(classes = TestGatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class RealOrgTestSupport {

    static final String CLIENT_ID = "real-org-client";
    static final String CLIENT_SECRET = "r3al-0rg-client-secret-value";
    static final String HANDLER = "AcmeTokenExchangeHandler";
    static final String SITE = "/partners";
    /** The site's own host: another loopback address, so another host name than the org's 127.0.0.1. */
    static final String SITE_HOST = "127.0.0.2";
    static final String LIMITS = "/services/data/v62.0/limits";

    static final SalesforceEmulator ORG = SalesforceEmulator.start(EmulatorConfig.builder()
            .app(new ConnectedApp(CLIENT_ID, CLIENT_SECRET,
                    Set.of(ConnectedApp.TOKEN_TYPE_ACCESS_TOKEN, ConnectedApp.TOKEN_TYPE_JWT), Set.of(HANDLER)))
            .autoProvisionUsers(true)
            .opaqueTokenRule(token -> token.startsWith("opaque.")
                    ? Optional.of(token.substring("opaque.".length()).replaceFirst("~.*$", ""))
                    : Optional.empty())
            .build());
    static final CapturedLogs LOGS = CapturedLogs.install();
    static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry circuitBreakers;

    WebTestClient client;

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry properties) {
        String[] names = {"real", "nohandler", "refresh", "jwt", "jwtlower", "wrongclient", "throttle", "site", "sitehost",
            "siteorgonly", "noscopes", "iprange",
            "jwtformat"};
        for (int i = 0; i < names.length; i++) {
            String route = "spring.cloud.gateway.server.webflux.routes[" + i + "].";
            String name = names[i];
            properties.add(route + "id", () -> name);
            properties.add(route + "uri", ORG::baseUrl);
            properties.add(route + "predicates[0]", () -> "Path=/" + name + "/services/**");
            properties.add(route + "filters[0]", () -> "StripPrefix=1");
            properties.add(route + "filters[1]", () -> "SalesforceTokenExchange=" + name);
            String key = "salesforce.token-exchange.registrations." + name + ".";
            properties.add(key + "login-url", name.equals("site") ? () -> ORG.baseUrl() + SITE
                    : name.startsWith("site") ? () -> "http://" + SITE_HOST + ":" + ORG.port() + SITE : ORG::baseUrl);
            if (name.equals("siteorgonly")) {
                properties.add(key + "instance-url-allowlist[0]", ORG::baseUrl);
            }
            properties.add(key + "client-id", () -> name.equals("wrongclient") ? "3MVG9-unknown" : CLIENT_ID);
            properties.add(key + "client-secret", () -> CLIENT_SECRET);
            if (!name.equals("nohandler")) {
                properties.add(key + "token-handler", () -> HANDLER);
            }
            if (!name.equals("noscopes")) {
                properties.add(key + "scopes", () -> name.equals("refresh") ? "api,refresh_token" : "api");
            }
            properties.add(key + "session-timeout", () -> "2h");
            properties.add(key + "subject.validate", () -> "false");
            if (name.equals("jwt")) {
                properties.add(key + "subject-token-type", () -> "jwt");
            } else if (name.equals("jwtlower")) {
                properties.add(key + "subject-token-type", () -> "urn:ietf:params:oauth:token-type:jwt");
            }
        }
        String breaker = "resilience4j.circuitbreaker.instances.salesforce-token-exchange-throttle.";
        properties.add(breaker + "sliding-window-size", () -> "2");
        properties.add(breaker + "minimum-number-of-calls", () -> "2");
        properties.add(breaker + "failure-rate-threshold", () -> "50");
        properties.add(breaker + "wait-duration-in-open-state", () -> "30s");
        properties.add("salesforce.token-exchange.cache.rejection-ttl", () -> "3s");
        properties.add("management.endpoints.web.exposure.include", () -> "health,prometheus");
    }

    @BeforeEach
    void resetOrgAndClient() {
        CapturedLogs.install(); // Spring Boot re-initialises logging when the context starts
        ORG.reset();
        circuitBreakers.getAllCircuitBreakers().forEach(breaker -> breaker.reset());
        client = WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(20))
                .build();
    }

    /** A user no other test uses, so neither the gateway's cache nor the org's counters carry over. */
    static String uniqueSubject(String name) {
        return name + "-" + Long.toHexString(System.nanoTime());
    }

    /** The {@code n}th opaque token of {@code subject} (a different cache key for the same user). */
    static String token(String subject, int n) {
        String token = "opaque." + subject + "~" + n;
        SECRETS.add(token);
        return token;
    }

    WebTestClient.ResponseSpec get(String registration, String token) {
        return client.get().uri("/" + registration + LIMITS).header("Authorization", "Bearer " + token).exchange();
    }

    /** The Salesforce session the org last saw on its REST API, remembered for the log scan. */
    static String lastSession() {
        String authorization = ORG.counters().lastRestRequest().header("Authorization");
        String session = authorization.replaceFirst("(?i)^Bearer ", "");
        SECRETS.add(session);
        return session;
    }

    String metrics() {
        return client.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
    }

    static double exchangeCount(String metrics, String registration, String outcome) {
        String prefix = "salesforce_token_exchange_seconds_count{outcome=\"" + outcome + "\",registration=\""
                + registration + "\"} ";
        return metrics.lines().filter(line -> line.startsWith(prefix))
                .mapToDouble(line -> Double.parseDouble(line.substring(prefix.length()))).sum();
    }

    @AfterAll
    static void noSecretInAnyLogLine() {
        java.util.List<String> lines = LOGS.lines();
        for (String secret : SECRETS) {
            assertThat(lines).noneMatch(line -> line.contains(secret));
        }
        assertThat(lines).noneMatch(line -> line.contains(CLIENT_SECRET));
        assertThat(lines).noneMatch(line -> line.contains(ORG.orgId() + "!"));
    }
}
