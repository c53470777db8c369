package io.sfgateway.tokenexchange.subject;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.sfgateway.tokenexchange.subject.JwtSubjectResolverTest.known;
import static io.sfgateway.tokenexchange.subject.JwtSubjectResolverTest.resolve;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.sfgateway.tokenexchange.InvalidSubjectException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * When the IdP's keys are fetched again (issue: JWKS refetch), driven by a fake clock: an
 * unknown {@code kid} costs at most one fetch per {@code min-refresh}, a fetch that brings the
 * same keys keeps what was verified, and a failing IdP is asked with growing waits.
 */
class JwksRefreshTest {

    private static final String ISSUER = "https://idp.example.com";
    private static final String AUDIENCE = "salesforce-gateway";
    private static final Duration MIN_REFRESH = Duration.ofSeconds(30);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(4);
    private static final Duration VERIFY = Duration.ofSeconds(10);

    private static WireMockServer idp;
    private static RSAKey key;
    private static RSAKey stranger;

    private final FakeClock clock = new FakeClock(Instant.now());
    private JwtSubjectResolver resolver;

    @BeforeAll
    static void start() throws Exception {
        idp = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        idp.start();
        key = new RSAKeyGenerator(2048).keyID("k1").generate();
        stranger = new RSAKeyGenerator(2048).keyID("nope").generate();
    }

    @AfterAll
    static void stop() {
        idp.stop();
    }

    @BeforeEach
    void serveKeys() {
        idp.resetAll();
        idp.stubFor(get(urlEqualTo("/jwks")).willReturn(okJson(new JWKSet(key.toPublicJWK()).toString())));
        resolver = new JwtSubjectResolver(new JwksSource(JwtSubjectResolverTest.webClient(), JwksLocation.fixed(URI.create(idp.baseUrl() + "/jwks")), JwksSchedule.of(MIN_REFRESH, MAX_BACKOFF), clock, Schedulers.parallel()),
                new JwtRules(ISSUER, List.of(AUDIENCE), "sub", Duration.ofSeconds(30)), clock);
    }

    @Test
    void anUnknownKidRefetchesAtMostOncePerMinRefreshAndTheSameKeysKeepTheVerifiedTokens() throws Exception {
        String genuine = token(key, "alice");
        StepVerifier.create(resolve(resolver, genuine)).expectNextCount(1).verifyComplete();
        assertThat(fetches()).isEqualTo(1);
        assertThat(known(resolver, genuine)).as("verified").isNotNull();

        String unknownKid = token(stranger, "mallory");
        for (int second = 0; second <= 90; second++) { // one made-up kid a second for 90 s
            assertInvalid(unknownKid);
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(fetches()).as("one fetch per 30 s, not one per token").isEqualTo(1 + 3);
        assertThat(known(resolver, genuine)).as("the same keys came back: still verified, no RSA work again").isNotNull();
    }

    @Test
    void aChangedKeySetMeansVerifyingAgain() throws Exception {
        String genuine = token(key, "alice");
        StepVerifier.create(resolve(resolver, genuine)).expectNextCount(1).verifyComplete();
        RSAKey rotated = new RSAKeyGenerator(2048).keyID("k2").generate();
        idp.stubFor(get(urlEqualTo("/jwks")).willReturn(okJson(new JWKSet(rotated.toPublicJWK()).toString())));
        clock.advance(MIN_REFRESH);
        StepVerifier.create(resolve(resolver, token(rotated, "bob"))).expectNextCount(1).verifyComplete();
        assertThat(known(resolver, genuine)).as("its key is gone").isNull();
        assertInvalid(genuine);
    }

    @Test
    void aFailingIdpIsAskedWithExponentialBackoffAndTheCachedKeysKeepServing() throws Exception {
        String genuine = token(key, "alice");
        StepVerifier.create(resolve(resolver, genuine)).expectNextCount(1).verifyComplete();
        idp.stubFor(get(urlEqualTo("/jwks")).willReturn(aResponse().withStatus(500)));

        // Past the key set's maximum age (10 min) every request would start a fetch; and made-up kids keep coming.
        clock.advance(Duration.ofMinutes(11));
        String unknownKid = token(stranger, "mallory");
        int[] fetchesAt = new int[20 * 60 / 5];
        for (int i = 0; i < fetchesAt.length; i++) { // 20 minutes, a request every 5 s
            StepVerifier.create(resolve(resolver, token(key, "user-" + i))).expectNextCount(1).verifyComplete();
            assertInvalid(unknownKid);
            waitForFetchesToSettle();
            fetchesAt[i] = fetches();
            clock.advance(Duration.ofSeconds(5));
        }
        // Waits after each failure: 30 s, 60 s, 120 s, then 240 s (the cap): fetches at 0, 30, 90, 210, 450, 690, 930,
        // 1170 s into the outage: 8, where a fixed interval would have made 40 and none at all 240.
        int duringOutage = fetches() - 1;
        assertThat(duringOutage).isBetween(7, 9);

        idp.stubFor(get(urlEqualTo("/jwks")).willReturn(okJson(new JWKSet(key.toPublicJWK()).toString())));
        clock.advance(MAX_BACKOFF);
        StepVerifier.create(resolve(resolver, token(key, "after"))).expectNextCount(1).verifyComplete();
        waitForFetchesToSettle();
        assertThat(fetches()).as("recovers once the IdP does").isEqualTo(duringOutage + 2);
    }

    @Test
    void withNoKeysYetAFailingIdpIsRetriedSoonerButStillBacksOff() throws Exception {
        idp.stubFor(get(urlEqualTo("/jwks")).willReturn(aResponse().withStatus(503)));
        String genuine = token(key, "alice");
        for (int i = 0; i < 120; i++) { // two minutes, a request every second
            StepVerifier.create(resolve(resolver, genuine)).expectError().verify(VERIFY);
            // The failed fetch finishes on WebClient's thread after the caller has its error; let it, so the
            // next second of fake time does not start while the previous fetch still counts as in flight.
            waitForFetchesToSettle();
            clock.advance(Duration.ofSeconds(1));
        }
        // waits of 1, 2, 4, 8, 16, 32 s: attempts at 0, 1, 3, 7, 15, 31, 63 s, where none at all would have made 120
        assertThat(fetches()).isBetween(6, 8);
    }

    private void assertInvalid(String token) {
        StepVerifier.create(resolve(resolver, token)).expectError(InvalidSubjectException.class).verify(VERIFY);
    }

    /** Background (max-age) fetches run off the caller's thread; wait until WireMock has seen them end. */
    private static void waitForFetchesToSettle() throws InterruptedException {
        int seen = -1;
        for (int i = 0; i < 50 && seen != fetches(); i++) {
            seen = fetches();
            Thread.sleep(20);
        }
    }

    private static int fetches() {
        return idp.findAll(getRequestedFor(urlEqualTo("/jwks"))).size();
    }

    private static String token(RSAKey signer, String subject) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signer.getKeyID()).build(),
                new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject(subject)
                        .expirationTime(new Date(System.currentTimeMillis() + 3_600_000)).build());
        jwt.sign(new RSASSASigner(signer));
        return jwt.serialize();
    }

    /** A clock the test moves. */
    static final class FakeClock extends Clock {

        private volatile Instant now;

        FakeClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
