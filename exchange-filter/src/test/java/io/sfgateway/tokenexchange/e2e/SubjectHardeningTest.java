package io.sfgateway.tokenexchange.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.sfgateway.emulator.TokenFault;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import io.sfgateway.tokenexchange.web.SalesforceTokenExchangeGatewayFilterFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The subject side of the hostile-caller review, through the running gateway (issue 11, items
 * 4, 5, 6, 7, 9 and the per-registration refusal memory of item 10). Adds four registrations to
 * the shared rig:
 * <ul>
 *   <li>{@code subj-opaque}: opaque tokens, sessions used at most 2 s ({@code opaque-token-lifetime});</li>
 *   <li>{@code subj-flood}: opaque tokens, at most 3 new per client and 5 overall per 10 minutes;</li>
 *   <li>{@code subj-email}: JWTs, users named by the mutable {@code email} claim;</li>
 *   <li>{@code subj-jwks}: JWTs, keys from {@link #JWKS} with {@code jwks.min-refresh: 5s}.</li>
 * </ul>
 */
@Import(SubjectHardeningTest.SubjectRoutes.class)
class SubjectHardeningTest extends GatewayTestSupport {

    private static final String PATH = "/services/data/v62.0/limits";
    private static final String ERROR_WRITER = "io.sfgateway.tokenexchange.web.ErrorResponseWriter";
    private static final List<String> REGISTRATIONS = List.of("subj-opaque", "subj-flood", "subj-email", "subj-jwks");
    /** The IdP's keys, served from a counter of our own (the emulator's IdP does not count fetches). */
    static final WireMockServer JWKS = startJwks();

    @Autowired
    MeterRegistry meters;

    private ListAppender<ILoggingEvent> events;

    private static WireMockServer startJwks() {
        WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        server.stubFor(WireMock.get("/jwks").willReturn(WireMock.okJson(ORG.idp().publicKeys().toString())));
        return server;
    }

    @DynamicPropertySource
    static void subjectRegistrations(DynamicPropertyRegistry properties) {
        String reg = "salesforce.token-exchange.registrations.";
        for (String name : REGISTRATIONS) {
            properties.add(reg + name + ".login-url", ORG::baseUrl);
            properties.add(reg + name + ".client-id", () -> CLIENT_ID);
            properties.add(reg + name + ".client-secret", () -> CLIENT_SECRET);
            properties.add(reg + name + ".token-handler", () -> HANDLER);
            properties.add(reg + name + ".instance-url-allowlist", ORG::baseUrl);
        }
        properties.add(reg + "subj-opaque.subject.validate", () -> "false");
        properties.add(reg + "subj-opaque.subject.opaque-token-lifetime", () -> "2s");
        properties.add(reg + "subj-flood.subject.validate", () -> "false");
        properties.add(reg + "subj-flood.subject.opaque-admission.per-client-limit", () -> "3");
        properties.add(reg + "subj-flood.subject.opaque-admission.global-limit", () -> "5");
        properties.add(reg + "subj-flood.subject.opaque-admission.limit-period", () -> "10m");
        for (String name : List.of("subj-email", "subj-jwks")) {
            properties.add(reg + name + ".subject.issuer", () -> ORG.idp().issuer());
            properties.add(reg + name + ".subject.audiences", () -> AUDIENCE);
        }
        properties.add(reg + "subj-email.subject.jwks-uri", () -> ORG.idp().jwksUri());
        properties.add(reg + "subj-email.subject.subject-claim", () -> "email");
        properties.add(reg + "subj-jwks.subject.jwks-uri", () -> JWKS.baseUrl() + "/jwks");
        properties.add(reg + "subj-jwks.subject.jwks.min-refresh", () -> "5s");
    }

    /**
     * The routes of this class's registrations, in Java rather than as indexed properties, so they
     * never collide with the shared rig's route list.
     */
    @TestConfiguration
    static class SubjectRoutes {

        @Bean
        RouteLocator subjectHardeningRoutes(RouteLocatorBuilder builder, SalesforceTokenExchangeGatewayFilterFactory exchange) {
            RouteLocatorBuilder.Builder routes = builder.routes();
            for (String name : REGISTRATIONS) {
                SalesforceTokenExchangeGatewayFilterFactory.Config config = new SalesforceTokenExchangeGatewayFilterFactory.Config();
                config.setRegistration(name);
                routes.route(name, route -> route.path("/" + name + "/services/**")
                        .filters(filters -> filters.stripPrefix(1)
                                .filter(exchange.apply(config), SalesforceTokenExchangeGatewayFilterFactory.ORDER))
                        .uri(ORG.baseUrl()));
            }
            return routes.build();
        }
    }

    @BeforeEach
    void captureLevels() {
        events = new ListAppender<>();
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        events.setContext(context);
        events.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(events);
        // Refusals are logged at DEBUG: switch it on here to see what such a line holds.
        context.getLogger(ERROR_WRITER).setLevel(Level.DEBUG);
    }

    @AfterEach
    void stopCapturing() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(events);
        context.getLogger(ERROR_WRITER).setLevel(null);
    }

    // ---- item 7: log forging and flooding ------------------------------------------------------

    @Test
    void aLineBreakInTheAlgHeaderCannotForgeALogLine() throws Exception {
        String forged = "2026-12-01T13:37:00.000Z ERROR 20451 --- [main] i.s.t.observe.ExchangeObserver : FORGED audit";
        String header = Base64URL.encode(("{\"alg\":\"RS256 is not allowed\\n" + forged + "\\nx\",\"kid\":\""
                + ORG.idp().keyId() + "\"}").getBytes(StandardCharsets.UTF_8)).toString();
        SignedJWT genuine = SignedJWT.parse(mint(uniqueSubject("forger")));
        String token = remember(header + "." + genuine.getParsedParts()[1] + "." + genuine.getSignature());
        long before = refused("acme", "invalid_token");

        HttpAnswer answer = rawGet("127.0.0.1", PATH, token);

        assertThat(answer.status()).isEqualTo(401);
        assertThat(refused("acme", "invalid_token")).isEqualTo(before + 1);
        assertNoForgedLine("FORGED audit");
        assertThat(events.list).filteredOn(e -> e.getLoggerName().endsWith("ErrorResponseWriter"))
                .as("refused at DEBUG, the header not echoed").isNotEmpty()
                .allSatisfy(e -> assertThat(e.getLevel()).isEqualTo(Level.DEBUG));
    }

    @Test
    void aLineBreakInsideAValidTokensSubjectCannotForgeALogLine() throws Exception {
        // A genuine token (signed by the IdP) whose sub holds a line break: it is served, and the subject key that the
        // audit line and every other log line carry holds it percent-encoded.
        String sub = uniqueSubject("eve") + "\r\n2026-12-01T13:37:00.000Z ERROR FORGED-SUBJECT";
        String token = remember(sign(claims(sub).build()));

        assertThat(rawGet("127.0.0.1", PATH, token).status()).isEqualTo(200);

        assertNoForgedLine("FORGED-SUBJECT");
        assertThat(LOGS.linesContaining("FORGED-SUBJECT")).as("the audit line").isNotEmpty()
                .allSatisfy(line -> assertThat(line).contains("%0D%0A2026-12-01T13:37:00.000Z"));
    }

    @Test
    void refusedRequestsAreCountedByReasonNotLoggedAtInfo() {
        long missing = refused("acme", "missing_token");
        long invalid = refused("acme", "invalid_token");
        for (int i = 0; i < 200; i++) {
            client.get().uri(PATH).exchange().expectStatus().isUnauthorized();
        }
        for (int i = 0; i < 50; i++) {
            get(PATH, "not.a.jwt").expectStatus().isUnauthorized();
        }
        assertThat(refused("acme", "missing_token")).isEqualTo(missing + 200);
        assertThat(refused("acme", "invalid_token")).isEqualTo(invalid + 50);
        assertThat(events.list).filteredOn(e -> e.getLoggerName().startsWith("io.sfgateway")
                        && e.getLevel().isGreaterOrEqual(Level.INFO))
                .as("no INFO line per refused request").isEmpty();
        assertThat(meters.find("salesforce.token.exchange.refused").counters())
                .as("reason tags from the fixed set only")
                .allSatisfy(c -> assertThat(c.getId().getTag("reason")).isIn("missing_token", "invalid_token",
                        "subject_rejected", "rate_limited", "unavailable", "bad_gateway"));
    }

    // ---- item 4: opaque flooding ---------------------------------------------------------------

    @Test
    void newOpaqueTokensAreLimitedPerClientAndOverallButCachedSessionsNeverAre() throws Exception {
        String route = "/subj-flood" + PATH;
        long tokenRequests = ORG.counters().tokenRequests();
        long limited = refused("subj-flood", "rate_limited");

        // One client floods garbage: 3 cost an exchange (Salesforce refuses them), the rest are 429 at once.
        String firstGarbage = remember("garbage-" + uniqueSubject("flood"));
        assertThat(rawGet("127.0.0.2", route, firstGarbage).status()).isEqualTo(401);
        assertThat(rawGet("127.0.0.2", route, firstGarbage).status()).as("a refusal remembered is a 401, not a permit")
                .isEqualTo(401);
        for (int i = 0; i < 79; i++) {
            HttpAnswer answer = rawGet("127.0.0.2", route, remember("garbage-" + uniqueSubject("flood")));
            if (i < 2) {
                assertThat(answer.status()).isEqualTo(401);
            } else {
                assertThat(answer.status()).isEqualTo(429);
                assertThat(answer.headers()).containsKey("retry-after");
            }
        }
        assertThat(ORG.counters().tokenRequests()).as("80 garbage tokens, 3 exchanges").isEqualTo(tokenRequests + 3);

        // Another client is not held back by the first one's limit, until the registration's overall limit.
        String alice = remember(OPAQUE_PREFIX + uniqueSubject("alice"));
        String bob = remember(OPAQUE_PREFIX + uniqueSubject("bob"));
        assertThat(rawGet("127.0.0.3", route, alice).status()).isEqualTo(200);
        assertThat(rawGet("127.0.0.3", route, bob).status()).isEqualTo(200);
        HttpAnswer overall = rawGet("127.0.0.3", route, remember(OPAQUE_PREFIX + uniqueSubject("carol")));
        assertThat(overall.status()).as("5 new tokens on the registration").isEqualTo(429);
        assertThat(overall.headers().get("retry-after")).isEqualTo("600");

        // Cached sessions are never limited, from any client.
        for (int i = 0; i < 10; i++) {
            assertThat(rawGet("127.0.0.2", route, alice).status()).isEqualTo(200);
        }
        assertThat(ORG.counters().tokenRequests()).isEqualTo(tokenRequests + 5);
        assertThat(refused("subj-flood", "rate_limited")).isEqualTo(limited + 78);
    }

    @Test
    void anOpaqueTokenOfTheWrongShapeNeverCostsAnExchange() throws Exception {
        long tokenRequests = ORG.counters().tokenRequests();
        for (String token : List.of("opaque.x", "sh0rt-tkn", "q".repeat(15))) {
            assertThat(rawGet("127.0.0.4", "/subj-opaque" + PATH, remember(token)).status()).isEqualTo(401);
        }
        assertThat(ORG.counters().tokenRequests()).isEqualTo(tokenRequests);
    }

    // ---- item 5: sessions outliving tokens -----------------------------------------------------

    @Test
    void anOpaqueSessionIsUsedAtMostTheOpaqueTokenLifetime() throws Exception {
        String token = remember(OPAQUE_PREFIX + uniqueSubject("revoked"));
        get("/subj-opaque" + PATH, token).expectStatus().isOk();
        ORG.controls().tokenFault(TokenFault.INVALID_GRANT); // the IdP revoked the token: Salesforce's handler refuses it
        get("/subj-opaque" + PATH, token).expectStatus().isOk(); // the session is still young

        Thread.sleep(2_100);
        long tokenRequests = ORG.counters().tokenRequests();
        get("/subj-opaque" + PATH, token).expectStatus().isUnauthorized();
        assertThat(ORG.counters().tokenRequests()).as("judged by Salesforce again").isGreaterThan(tokenRequests);
    }

    @Test
    void aRefusalDuringRefreshAheadEvictsTheSession() throws Exception {
        // "short": 4 s sessions, refreshed ahead from 3 s, used until 3.8 s.
        String subject = uniqueSubject("refresh-refused");
        String token = mint(subject);
        long start = System.nanoTime();
        get("/short" + PATH, token).expectStatus().isOk();
        Thread.sleep(3_050);
        ORG.controls().tokenFault(TokenFault.INVALID_GRANT);
        long tokenRequests = ORG.counters().tokenRequests();
        get("/short" + PATH, token).expectStatus().isOk(); // served at once; the refresh runs behind it
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (ORG.counters().tokenRequests() == tokenRequests && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(50);
        get("/short" + PATH, token).expectStatus().isUnauthorized();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("refused while the old session was still usable")
                .isLessThan(Duration.ofMillis(3_800));
    }

    // ---- item 10 (part): refusal memory per registration ---------------------------------------

    @Test
    void aRefusalOnOneRegistrationIsNotRememberedOnAnother() {
        String token = remember(OPAQUE_PREFIX + uniqueSubject("two-orgs"));
        ORG.controls().tokenFault(TokenFault.INVALID_GRANT);
        get("/opaque" + PATH, token).expectStatus().isUnauthorized();
        ORG.controls().tokenFault(TokenFault.NONE);
        long tokenRequests = ORG.counters().tokenRequests();

        get("/subj-opaque" + PATH, token).expectStatus().isOk(); // within the 3 s rejection TTL of "opaque"
        assertThat(ORG.counters().tokenRequests()).isEqualTo(tokenRequests + 1);
        get("/opaque" + PATH, token).expectStatus().isUnauthorized(); // still remembered where it was refused
    }

    // ---- item 6: the session key always holds sub and the issuer -------------------------------

    @Test
    void aSharedMutableClaimNeverSelectsAnotherUsersSession() {
        String victim = uniqueSubject("victim");
        String attacker = uniqueSubject("attacker");
        String shared = uniqueSubject("shared") + "@acme.com";
        get("/subj-email" + PATH, mintWith(victim, Map.of("email", shared))).expectStatus().isOk();
        rememberLastSessionOf(ORG);
        String victimSession = ORG.counters().lastRestRequest().header("Authorization");

        get("/subj-email" + PATH, mintWith(attacker, Map.of("email", shared))).expectStatus().isOk();
        rememberLastSessionOf(ORG);

        assertThat(ORG.counters().exchanges(attacker)).as("the attacker's own exchange").isEqualTo(1);
        assertThat(ORG.counters().lastRestRequest().header("Authorization")).isNotEqualTo(victimSession);
    }

    // ---- item 9: JWKS refetch ------------------------------------------------------------------

    @Test
    void unknownKidsRefetchTheKeysAtMostOncePerMinRefresh() throws Exception {
        get("/subj-jwks" + PATH, mint(uniqueSubject("warm"))).expectStatus().isOk(); // keys in hand
        Thread.sleep(5_100); // past min-refresh: the next unknown kid may fetch once
        JWKS.resetRequests();
        com.nimbusds.jose.jwk.RSAKey stranger = new RSAKeyGenerator(2048).keyID("made-up").generate();
        for (int i = 0; i < 30; i++) {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("made-up-" + i).build(),
                    claims(uniqueSubject("kid")).build());
            jwt.sign(new RSASSASigner(stranger));
            get("/subj-jwks" + PATH, remember(jwt.serialize())).expectStatus().isUnauthorized();
        }
        assertThat(JWKS.findAll(WireMock.getRequestedFor(WireMock.urlEqualTo("/jwks")))).as("30 made-up kids, one fetch")
                .hasSize(1);
        get("/subj-jwks" + PATH, mint(uniqueSubject("still"))).expectStatus().isOk();
    }

    // ---- helpers -------------------------------------------------------------------------------

    private long refused(String registration, String reason) {
        Counter counter = meters.find("salesforce.token.exchange.refused").tag("registration", registration)
                .tag("reason", reason).counter();
        return counter == null ? 0 : (long) counter.count();
    }

    private void assertNoForgedLine(String marker) {
        for (ILoggingEvent event : events.list) {
            String message = event.getFormattedMessage();
            assertThat(message).as("no raw line break next to request text").doesNotContain("\n2026-12-01T13:37");
            assertThat(message.lines()).noneMatch(line -> line.startsWith("2026-12-01T13:37") || line.startsWith(marker));
        }
        for (String line : LOGS.lines()) {
            assertThat(line.lines()).noneMatch(l -> l.startsWith("2026-12-01T13:37"));
        }
    }

    private static String mintWith(String subject, Map<String, Object> claims) {
        return remember(ORG.idp().mintToken(subject, AUDIENCE, Duration.ofMinutes(10), claims));
    }

    private static JWTClaimsSet.Builder claims(String subject) {
        return new JWTClaimsSet.Builder().issuer(ORG.idp().issuer()).audience(AUDIENCE).subject(subject)
                .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(600)));
    }

    private static String sign(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(ORG.idp().keyId()).build(), claims);
        jwt.sign(new RSASSASigner(ORG.idp().signingKey()));
        return jwt.serialize();
    }

    record HttpAnswer(int status, Map<String, String> headers) {
    }

    /** A GET on a raw socket from {@code from} (any 127.x address is this host), as a client other than the test's. */
    private HttpAnswer rawGet(String from, String path, String token) throws Exception {
        String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                + "\r\nConnection: close\r\n\r\n";
        try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port, InetAddress.getByName(from), 0)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            String statusLine = reader.readLine();
            Map<String, String> headers = new java.util.HashMap<>();
            for (String line = reader.readLine(); line != null && !line.isEmpty(); line = reader.readLine()) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT), line.substring(colon + 1).trim());
            }
            while (reader.read() >= 0) {
                // drain the body so the server's write completes before the socket closes
            }
            return new HttpAnswer(Integer.parseInt(statusLine.split(" ")[1]), headers);
        }
    }
}
