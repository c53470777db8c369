package io.sfgateway.tokenexchange.subject;

import io.sfgateway.tokenexchange.BearerToken;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.sfgateway.tokenexchange.ExchangeFailure;
import io.sfgateway.tokenexchange.InvalidSubjectException.Reason;
import io.sfgateway.tokenexchange.InvalidSubjectException;
import io.sfgateway.tokenexchange.Subject;
import io.sfgateway.tokenexchange.TokenDigest;
import io.sfgateway.tokenexchange.config.TokenExchangeAutoConfiguration;
import io.sfgateway.tokenexchange.config.TokenExchangeProperties;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** Local validation of the caller's JWT (see the README's caller table, {@code subject.validate: true}). */
class JwtSubjectResolverTest {

    static final String ISSUER = "https://idp.example.com";
    static final String AUDIENCE = "salesforce-gateway";
    static final Duration VERIFY = Duration.ofSeconds(10);
    static final Duration LONG = Duration.ofMinutes(10);

    static WireMockServer idp;
    static WireMockServer attacker;
    static WebClient webClient;
    static RSAKey rsa;
    static ECKey ec;
    static RSAKey attackerRsa;
    static RSAKey weakRsa;

    @BeforeAll
    static void start() throws Exception {
        idp = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        attacker = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        idp.start();
        attacker.start();
        webClient = webClient();
        rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        attackerRsa = new RSAKeyGenerator(2048).keyID("attacker-1").generate();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        KeyPair weak = generator.generateKeyPair();
        weakRsa = new RSAKey.Builder((RSAPublicKey) weak.getPublic()).privateKey((RSAPrivateKey) weak.getPrivate())
                .keyID("weak-1").build();
    }

    @AfterAll
    static void stop() {
        idp.stop();
        attacker.stop();
    }

    @BeforeEach
    void reset() {
        idp.resetAll();
        attacker.resetAll();
        serveJwks(rsa, ec, weakRsa);
        attacker.stubFor(get(anyUrl()).willReturn(okJson(new JWKSet(attackerRsa.toPublicJWK()).toString())));
    }

    static WebClient webClient() {
        TokenExchangeProperties props = new TokenExchangeProperties();
        props.setExchange(new TokenExchangeProperties.Exchange(Duration.ofSeconds(3), 64, Duration.ofSeconds(2),
                DataSize.ofKilobytes(64), 16));
        return new TokenExchangeAutoConfiguration().tokenEndpointClients(props).web();
    }

    static void serveJwks(JWK... keys) {
        List<JWK> publicKeys = new ArrayList<>();
        for (JWK key : keys) {
            publicKeys.add(key.toPublicJWK());
        }
        idp.stubFor(get(urlEqualTo("/jwks")).willReturn(okJson(new JWKSet(publicKeys).toString())));
    }

    static URI jwksUri() {
        return URI.create(idp.baseUrl() + "/jwks");
    }

    /** A resolver of {@code rules} with the keys at {@code jwks}, fetched at most every {@code minRefresh}. */
    static JwtSubjectResolver resolver(URI jwks, JwtRules rules, Duration minRefresh) {
        return new JwtSubjectResolver(new JwksSource(webClient, JwksLocation.fixed(jwks),
                JwksSchedule.of(minRefresh, Duration.ofMinutes(5)), Clock.systemUTC(), Schedulers.parallel()), rules, Clock.systemUTC());
    }

    static JwtSubjectResolver resolver(Duration refetchInterval) {
        return resolver(jwksUri(), new JwtRules(ISSUER, List.of(AUDIENCE), "sub", Duration.ofSeconds(30)), refetchInterval);
    }

    /** A resolver whose key fetch schedule and memo read {@code clock}: a test moves time instead of sleeping. */
    static JwtSubjectResolver resolver(Duration refetchInterval, JwksRefreshTest.FakeClock clock) {
        return new JwtSubjectResolver(new JwksSource(webClient, JwksLocation.fixed(jwksUri()), JwksSchedule.of(refetchInterval, Duration.ofMinutes(5)), clock, Schedulers.parallel()),
                new JwtRules(ISSUER, List.of(AUDIENCE), "sub", Duration.ofSeconds(30)), clock);
    }

    static JWTClaimsSet.Builder claims() {
        long now = System.currentTimeMillis();
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .subject("alice")
                .audience(AUDIENCE)
                .issueTime(new Date(now))
                .expirationTime(new Date(now + 300_000));
    }

    static String rs256(JWTClaimsSet claims) throws Exception {
        return sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(rsa.getKeyID()).build(), claims, new RSASSASigner(rsa));
    }

    static String sign(JWSHeader header, JWTClaimsSet claims, JWSSigner signer) throws Exception {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    static String signPayload(JWSHeader header, Payload payload, JWSSigner signer) throws Exception {
        JWSObject jws = new JWSObject(header, payload);
        jws.sign(signer);
        return jws.serialize();
    }

    static String b64(String json) {
        return Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString();
    }

    static void assertSubject(Mono<Subject> resolved, String expectedKey, String token) {
        StepVerifier.create(resolved)
                .assertNext(subject -> {
                    assertThat(subject.key()).isEqualTo(expectedKey);
                    assertThat(subject.token()).isEqualTo(token);
                    assertThat(subject.toString()).doesNotContain(token);
                })
                .expectComplete()
                .verify(VERIFY);
    }

    static void assertInvalid(Mono<Subject> resolved) {
        StepVerifier.create(resolved)
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(InvalidSubjectException.class);
                    assertThat(((InvalidSubjectException) error).reason()).isEqualTo(Reason.INVALID);
                })
                .verify(VERIFY);
    }

    /** The resolver's one door, with the digest the filter would compute. */
    static Mono<Subject> resolve(SubjectResolver resolver, String token) {
        return resolver.resolve(BearerToken.of(token), TokenDigest.of(token));
    }

    static Subject known(SubjectResolver resolver, String token) {
        return resolver.known(BearerToken.of(token), TokenDigest.of(token));
    }

    static void assertInvalid(JwtSubjectResolver resolver, String token) {
        assertInvalid(resolve(resolver, token));
        StepVerifier.create(resolve(resolver, token))
                .expectErrorSatisfies(error -> assertThat(error.getMessage()).doesNotContain(token))
                .verify(VERIFY);
    }

    static int jwksRequests() {
        return idp.findAll(getRequestedFor(urlEqualTo("/jwks"))).size();
    }

    static int allIdpRequests() {
        return idp.findAll(anyRequestedFor(anyUrl())).size();
    }

    @Nested
    class Accepted {

        @Test
        void validRs256() throws Exception {
            String token = rs256(claims().build());
            assertSubject(resolve(resolver(LONG), token), "jwt:" + ISSUER + " alice", token);
        }

        @Test
        void validEs256() throws Exception {
            String token = sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec-1").build(), claims().build(),
                    new ECDSASigner(ec));
            assertSubject(resolve(resolver(LONG), token), "jwt:" + ISSUER + " alice", token);
        }

        @Test
        void validPs256() throws Exception {
            String token = sign(new JWSHeader.Builder(JWSAlgorithm.PS256).keyID("rsa-1").build(), claims().build(),
                    new RSASSASigner(rsa));
            assertSubject(resolve(resolver(LONG), token), "jwt:" + ISSUER + " alice", token);
        }

        @Test
        void typJwtAndSeveralAudiences() throws Exception {
            String token = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").type(JOSEObjectType.JWT).build(),
                    claims().audience(List.of("other", AUDIENCE)).build(), new RSASSASigner(rsa));
            assertSubject(resolve(resolver(LONG), token), "jwt:" + ISSUER + " alice", token);
        }

        @Test
        void anotherSubjectClaimIsKeyedWithSubAndTheIssuerToo() throws Exception {
            JwtSubjectResolver resolver = resolver(jwksUri(), new JwtRules(ISSUER, List.of(AUDIENCE), "preferred_username", Duration.ofSeconds(30)), LONG);
            String token = rs256(claims().claim("preferred_username", "alice@acme.com").build());
            assertSubject(resolve(resolver, token), "jwt:" + ISSUER + " alice preferred_username=alice@acme.com", token);
        }

        @Test
        void twoUsersSharingAMutableClaimNeverShareAKey() throws Exception {
            JwtSubjectResolver resolver = resolver(jwksUri(), new JwtRules(ISSUER, List.of(AUDIENCE), "email", Duration.ofSeconds(30)), LONG);
            String victim = rs256(claims().subject("victim").claim("email", "shared@acme.com").build());
            String attacker = rs256(claims().subject("attacker").claim("email", "shared@acme.com").build());
            String victimKey = resolve(resolver, victim).block(VERIFY).key();
            String attackerKey = resolve(resolver, attacker).block(VERIFY).key();
            assertThat(attackerKey).isNotEqualTo(victimKey);
            assertThat(victimKey).startsWith("jwt:" + ISSUER + " victim ");
            // a sub with a space cannot be made to look like another sub followed by a claim
            String spaced = rs256(claims().subject("victim email=x").claim("email", "y").build());
            assertThat(resolve(resolver, spaced).block(VERIFY).key()).isEqualTo("jwt:" + ISSUER + " victim%20email=x email=y");
        }

        @Test
        void anotherSubjectClaimStillRequiresSub() throws Exception {
            JwtSubjectResolver resolver = resolver(jwksUri(), new JwtRules(ISSUER, List.of(AUDIENCE), "email", Duration.ofSeconds(30)), LONG);
            assertInvalid(resolver, rs256(claims().subject(null).claim("email", "alice@acme.com").build()));
            assertInvalid(resolver, rs256(claims().claim("email", " ").build()));
        }

        @Test
        void noIssuerOrNoAudienceIsRefusedWhenTheResolverIsBuilt() {
            // Without them, any issuer the keys sign for, or a token minted for another relying party, would pass.
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new JwtRules(null, List.of(AUDIENCE), "sub", Duration.ofSeconds(30)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("issuer");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new JwtRules(" ", List.of(AUDIENCE), "sub", Duration.ofSeconds(30)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("issuer");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new JwtRules(ISSUER, List.of(), "sub", Duration.ofSeconds(30)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("audience");
        }

        @Test
        void cachedKeysServeLaterTokensWithoutFetching() throws Exception {
            JwtSubjectResolver resolver = resolver(LONG);
            for (int i = 0; i < 5; i++) {
                String token = rs256(claims().subject("user-" + i).build());
                assertSubject(resolve(resolver, token), "jwt:" + ISSUER + " user-" + i, token);
            }
            assertThat(jwksRequests()).isEqualTo(1);
        }

        @Test
        void prefetchLoadsTheKeysAhead() throws Exception {
            JwtSubjectResolver resolver = resolver(LONG);
            resolver.prefetchKeys();
            long deadline = System.nanoTime() + VERIFY.toNanos();
            while (jwksRequests() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(100);
            String token = rs256(claims().build());
            assertSubject(resolve(resolver, token), "jwt:" + ISSUER + " alice", token);
            assertThat(jwksRequests()).isEqualTo(1);
        }
    }

    @Nested
    class Algorithms {

        @Test
        void algNoneIsInvalid() throws Exception {
            assertInvalid(resolver(LONG), new PlainJWT(claims().build()).serialize());
        }

        @ParameterizedTest
        @ValueSource(strings = {"none", "None", "NONE", "nOnE"})
        void algNoneWithAKidAndASignatureIsInvalid(String none) throws Exception {
            SignedJWT real = SignedJWT.parse(rs256(claims().build()));
            String header = b64("{\"alg\":\"" + none + "\",\"kid\":\"rsa-1\"}");
            String payload = real.getParsedParts()[1].toString();
            assertInvalid(resolver(LONG), header + "." + payload + ".");
            assertInvalid(resolver(LONG), header + "." + payload + "." + real.getSignature());
        }

        @ParameterizedTest
        @ValueSource(strings = {"RS256\nFORGED", "RS256 is not allowed\r\n2026-12-01T13:37:00.000Z ERROR FORGED audit",
            "RS256\u2028FORGED", "RS256\u0085FORGED"})
        void anAlgorithmWithALineBreakIsInvalidAndNeverEchoed(String alg) throws Exception {
            SignedJWT real = SignedJWT.parse(rs256(claims().build()));
            String header = b64("{\"alg\":\"" + alg.replace("\n", "\\n").replace("\r", "\\r") + "\",\"kid\":\"rsa-1\"}");
            StepVerifier.create(resolve(resolver(LONG), header + "." + real.getParsedParts()[1] + "." + real.getSignature()))
                    .expectErrorSatisfies(error -> {
                        assertThat(error).isInstanceOf(InvalidSubjectException.class);
                        assertThat(error.getMessage()).doesNotContain("FORGED").doesNotContain("\n").doesNotContain("\r")
                                .doesNotContain("\u2028").doesNotContain("\u0085");
                    })
                    .verify(VERIFY);
        }

        @Test
        void detailsQuotingTheTokenAreEscapedAndCapped() {
            InvalidSubjectException forged = new InvalidSubjectException(Reason.INVALID,
                    "JWT iss claim has value x\nFORGED line\r\n" + "y".repeat(5_000));
            assertThat(forged.getMessage()).doesNotContain("\n").doesNotContain("\r").contains("x\\nFORGED")
                    .hasSizeLessThan(300);
        }

        @Test
        void hs256WithTheRsaPublicKeyAsSecretIsInvalid() throws Exception {
            byte[] publicKeyBytes = rsa.toRSAPublicKey().getEncoded();
            String token = sign(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(), claims().build(),
                    new MACSigner(publicKeyBytes));
            assertInvalid(resolver(LONG), token);
            // the JWK's own JSON as the secret, too
            String token2 = sign(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(), claims().build(),
                    new MACSigner(rsa.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8)));
            assertInvalid(resolver(LONG), token2);
        }

        @Test
        void algorithmNotMatchingTheKeyTypeIsInvalid() throws Exception {
            // ES256 signed with an EC key but claiming the RSA key's kid
            String token = sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("rsa-1").build(), claims().build(),
                    new ECDSASigner(ec));
            assertInvalid(resolver(LONG), token);
        }

        @Test
        void ecdsaZeroSignatureIsInvalid() throws Exception {
            SignedJWT real = SignedJWT.parse(sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec-1").build(),
                    claims().build(), new ECDSASigner(ec)));
            String zero = Base64URL.encode(new byte[64]).toString();
            assertInvalid(resolver(LONG), real.getParsedParts()[0] + "." + real.getParsedParts()[1] + "." + zero);
        }

        @Test
        void signatureByAnotherKeyUnderTheIdpsKidIsInvalid() throws Exception {
            String token = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(), claims().build(),
                    new RSASSASigner(attackerRsa));
            assertInvalid(resolver(LONG), token);
        }

        @Test
        void alteredPayloadIsInvalid() throws Exception {
            SignedJWT real = SignedJWT.parse(rs256(claims().build()));
            String forged = b64(claims().subject("admin").build().toString());
            assertInvalid(resolver(LONG), real.getParsedParts()[0] + "." + forged + "." + real.getSignature());
        }

        @Test
        void rsaKeyOf1024BitsIsInvalid() throws Exception {
            String token = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("weak-1").build(), claims().build(),
                    new RSASSASigner(weakRsa.toRSAPrivateKey(), true));
            assertInvalid(resolver(LONG), token);
        }
    }

    @Nested
    class KeyLookup {

        @Test
        void unknownKidIsInvalidAndRefetchesAtMostOncePerInterval() throws Exception {
            JwksRefreshTest.FakeClock clock = new JwksRefreshTest.FakeClock(Instant.now());
            JwtSubjectResolver resolver = new JwtSubjectResolver(new JwksSource(webClient, JwksLocation.fixed(jwksUri()), JwksSchedule.of(Duration.ofMillis(500), Duration.ofMinutes(5)), clock, Schedulers.parallel()),
                new JwtRules(ISSUER, List.of(AUDIENCE), "sub", Duration.ofSeconds(30)), clock);
            String unknown = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("unknown-kid").build(), claims().build(),
                    new RSASSASigner(attackerRsa));
            for (int i = 0; i < 5; i++) {
                assertInvalid(resolve(resolver, unknown));
            }
            assertThat(jwksRequests()).isEqualTo(1);

            clock.advance(Duration.ofMillis(400));
            assertInvalid(resolve(resolver, unknown));
            assertThat(jwksRequests()).as("within the interval").isEqualTo(1);

            clock.advance(Duration.ofMillis(200));
            for (int i = 0; i < 5; i++) {
                assertInvalid(resolve(resolver, unknown));
            }
            assertThat(jwksRequests()).isEqualTo(2);
            assertThat(allIdpRequests()).isEqualTo(2);
        }

        @Test
        void unknownKidAfterAWarmCacheDoesNotFetchWithinTheInterval() throws Exception {
            JwtSubjectResolver resolver = resolver(LONG);
            String valid = rs256(claims().build());
            assertSubject(resolve(resolver, valid), "jwt:" + ISSUER + " alice", valid);
            String unknown = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-2").build(), claims().build(),
                    new RSASSASigner(attackerRsa));
            for (int i = 0; i < 20; i++) {
                assertInvalid(resolve(resolver, unknown));
            }
            assertThat(jwksRequests()).isEqualTo(1);
        }

        @ParameterizedTest
        @ValueSource(strings = {"../../etc/passwd", "' OR 1=1 --", "/jwks", "..%2F..%2Fetc%2Fpasswd", "http://127.0.0.1/x",
            "rsa-1\u0000", "rsa-1/../rsa-1", "${jndi:ldap://127.0.0.1/a}"})
        void kidWithPathOrSqlCharactersIsInvalidWithoutAnyRequest(String kid) throws Exception {
            JwtSubjectResolver resolver = resolver(LONG);
            String valid = rs256(claims().build());
            assertSubject(resolve(resolver, valid), "jwt:" + ISSUER + " alice", valid);
            assertThat(allIdpRequests()).isEqualTo(1);

            String token = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(), claims().build(),
                    new RSASSASigner(rsa));
            assertInvalid(resolver, token);

            assertThat(allIdpRequests()).isEqualTo(1);
            assertThat(jwksRequests()).isEqualTo(1);
            assertThat(attacker.findAll(anyRequestedFor(anyUrl()))).isEmpty();
        }

        @Test
        void jkuAndX5uAreNeverFollowed() throws Exception {
            URI attackerJwks = URI.create(attacker.baseUrl() + "/jwks");
            URI attackerCert = URI.create(attacker.baseUrl() + "/cert.pem");
            JwtSubjectResolver resolver = resolver(Duration.ofMillis(1));
            for (String kid : new String[] {"attacker-1", "rsa-1"}) {
                String token = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).jwkURL(attackerJwks)
                        .x509CertURL(attackerCert).build(), claims().build(), new RSASSASigner(attackerRsa));
                assertInvalid(resolver, token);
                String jkuOnly = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).jwkURL(attackerJwks).build(),
                        claims().build(), new RSASSASigner(attackerRsa));
                assertInvalid(resolver, jkuOnly);
            }
            assertThat(attacker.findAll(anyRequestedFor(anyUrl()))).isEmpty();
            assertThat(idp.findAll(anyRequestedFor(anyUrl()))).allSatisfy(r -> assertThat(r.getUrl()).isEqualTo("/jwks"));
        }

        @Test
        void embeddedJwkIsNeverTrusted() throws Exception {
            JwtSubjectResolver resolver = resolver(LONG);
            for (String kid : new String[] {"attacker-1", "rsa-1", null}) {
                String token = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).jwk(attackerRsa.toPublicJWK())
                        .build(), claims().build(), new RSASSASigner(attackerRsa));
                assertInvalid(resolver, token);
            }
            assertThat(attacker.findAll(anyRequestedFor(anyUrl()))).isEmpty();
        }

        @Test
        void keyRotationIsPickedUpAfterTheRefetchInterval() throws Exception {
            JwksRefreshTest.FakeClock clock = new JwksRefreshTest.FakeClock(Instant.now());
            JwtSubjectResolver resolver = resolver(Duration.ofMillis(100), clock);
            String old = rs256(claims().build());
            assertSubject(resolve(resolver, old), "jwt:" + ISSUER + " alice", old);

            RSAKey rotated = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
            serveJwks(rotated);
            clock.advance(Duration.ofMillis(150));

            String fresh = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-2").build(), claims().build(),
                    new RSASSASigner(rotated));
            assertSubject(resolve(resolver, fresh), "jwt:" + ISSUER + " alice", fresh);
            assertThat(jwksRequests()).isEqualTo(2);
        }

        @Test
        void jwksServerErrorIsUnavailableNotInvalidAndFetchesBackOff() throws Exception {
            idp.stubFor(get(urlEqualTo("/jwks")).willReturn(aResponse().withStatus(503)));
            JwksRefreshTest.FakeClock clock = new JwksRefreshTest.FakeClock(Instant.now());
            JwtSubjectResolver resolver = resolver(Duration.ofMillis(500), clock);
            for (int i = 0; i < 3; i++) {
                StepVerifier.create(resolve(resolver, rs256(claims().build())))
                        .expectErrorSatisfies(error -> {
                            assertThat(error).isInstanceOf(ExchangeFailure.class);
                            assertThat(((ExchangeFailure) error).kind()).isEqualTo(ExchangeFailure.Kind.UNAVAILABLE);
                        })
                        .verify(VERIFY);
            }
            assertThat(idp.findAll(getRequestedFor(urlEqualTo("/jwks")))).as("one fetch per refetch interval while the IdP is down")
                    .hasSize(1);

            // and it recovers once the IdP is back and the interval has passed
            serveJwks(rsa);
            clock.advance(Duration.ofMillis(600));
            String token = rs256(claims().build());
            assertSubject(resolve(resolver, token), "jwt:" + ISSUER + " alice", token);
        }

        @Test
        void jwksServerUnreachableIsUnavailable() throws Exception {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            JwtSubjectResolver resolver = resolver(URI.create("http://127.0.0.1:" + port + "/jwks"), new JwtRules(ISSUER, List.of(AUDIENCE), "sub", Duration.ofSeconds(30)), LONG);
            StepVerifier.create(resolve(resolver, rs256(claims().build())))
                    .expectErrorSatisfies(error -> {
                        assertThat(error).isInstanceOf(ExchangeFailure.class);
                        assertThat(((ExchangeFailure) error).kind()).isEqualTo(ExchangeFailure.Kind.UNAVAILABLE);
                    })
                    .verify(VERIFY);
        }

        @Test
        void jwksThatIsNotAKeySetIsUnavailable() throws Exception {
            idp.stubFor(get(urlEqualTo("/jwks")).willReturn(okJson("<html>not json</html>")));
            StepVerifier.create(resolve(resolver(LONG), rs256(claims().build())))
                    .expectErrorSatisfies(error -> assertThat(error).isInstanceOfSatisfying(ExchangeFailure.class,
                            failure -> assertThat(failure.kind()).isEqualTo(ExchangeFailure.Kind.UNAVAILABLE)))
                    .verify(VERIFY);
        }

        @Test
        void encryptionKeysAreNotUsedForSignatures() throws Exception {
            RSAKey enc = new RSAKeyGenerator(2048).keyID("enc-1").keyUse(com.nimbusds.jose.jwk.KeyUse.ENCRYPTION).generate();
            serveJwks(enc);
            String token = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("enc-1").build(), claims().build(),
                    new RSASSASigner(enc));
            assertInvalid(resolver(LONG), token);
        }
    }

    @Nested
    class Structure {

        @Test
        void critHeaderIsInvalid() throws Exception {
            String token = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1")
                    .criticalParams(Set.of("urn:example:must-understand"))
                    .customParam("urn:example:must-understand", true).build(), claims().build(), new RSASSASigner(rsa));
            assertInvalid(resolver(LONG), token);
        }

        @Test
        void jweIsInvalid() throws Exception {
            EncryptedJWT jwe = new EncryptedJWT(new JWEHeader.Builder(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM)
                    .keyID("rsa-1").build(), claims().build());
            jwe.encrypt(new RSAEncrypter(rsa.toRSAPublicKey()));
            assertInvalid(resolver(LONG), jwe.serialize());
            assertThat(allIdpRequests()).isZero();
        }

        @Test
        void nestedJwtIsInvalid() throws Exception {
            SignedJWT inner = SignedJWT.parse(rs256(claims().build()));
            String nested = signPayload(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").contentType("JWT").build(),
                    new Payload(inner), new RSASSASigner(rsa));
            assertInvalid(resolver(LONG), nested);
        }

        @ParameterizedTest
        @ValueSource(strings = {"", ".", "..", "...", "a.b.c", "a.b", "eyJ!!!.eyJ!!!.sig", "e30.e30.e30",
            "eyJhbGciOiJSUzI1NiJ9.@@@@.c2ln", "eyJhbGciOiJSUzI1NiJ9..", "eyJhbGciOiJSUzI1NiJ9.e30.", "bnVsbA.e30.c2ln",
            "W10.e30.c2ln", "eyJhbGciOjF9.e30.c2ln", "eyJhbGciOiJSUzI1NiJ9.e30.c2ln.extra", "a.b.c.d.e", "a.b.c.d.e.f",
            "not a jwt at all", "\u0000"})
        void malformedTokensAreInvalid(String token) {
            assertInvalid(resolve(resolver(LONG), token));
        }

        @Test
        void payloadThatIsAJsonArrayIsInvalid() throws Exception {
            String token = signPayload(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(),
                    new Payload("[{\"iss\":\"" + ISSUER + "\",\"sub\":\"alice\"}]"), new RSASSASigner(rsa));
            assertInvalid(resolver(LONG), token);
        }

        @ParameterizedTest
        @ValueSource(strings = {"alice", "null", "42", "\"alice\"", "true", "{", "{\"sub\":\"alice\"", ""})
        void payloadThatIsNotAJsonObjectIsInvalid(String payload) throws Exception {
            String token = signPayload(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(),
                    new Payload(payload), new RSASSASigner(rsa));
            assertInvalid(resolver(LONG), token);
        }

        @ParameterizedTest
        @ValueSource(strings = {"null", "42", "\"RS256\"", "{}", "{\"alg\":null}", "{\"alg\":42}", "{\"alg\":\"RS256\",\"kid\":42}",
            "{\"alg\":\"RS256\",\"crit\":\"x\"}", "{\"alg\":\"RS256\",\"jwk\":\"x\"}", "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"b64\":false}"})
        void oddHeadersAreInvalid(String header) throws Exception {
            SignedJWT real = SignedJWT.parse(rs256(claims().build()));
            assertInvalid(resolver(LONG), b64(header) + "." + real.getParsedParts()[1] + "." + real.getSignature());
        }

        @Test
        void headerThatIsAJsonArrayIsInvalid() throws Exception {
            SignedJWT real = SignedJWT.parse(rs256(claims().build()));
            assertInvalid(resolver(LONG), b64("[{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}]") + "." + real.getParsedParts()[1]
                    + "." + real.getSignature());
        }
    }

    @Nested
    class Claims {

        private String signedPayload(String json) throws Exception {
            return signPayload(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(), new Payload(json),
                    new RSASSASigner(rsa));
        }

        private long nowSeconds() {
            return System.currentTimeMillis() / 1000;
        }

        @Test
        void expAsAStringIsInvalid() throws Exception {
            long exp = nowSeconds() + 300;
            assertInvalid(resolver(LONG), signedPayload("{\"iss\":\"" + ISSUER + "\",\"sub\":\"alice\",\"aud\":\"" + AUDIENCE
                    + "\",\"exp\":\"" + exp + "\"}"));
            assertInvalid(resolver(LONG), signedPayload("{\"iss\":\"" + ISSUER + "\",\"sub\":\"alice\",\"aud\":\"" + AUDIENCE
                    + "\",\"exp\":\"never\"}"));
        }

        @Test
        void expiredBeyondSkewIsInvalid() throws Exception {
            assertInvalid(resolver(LONG), rs256(claims().expirationTime(new Date(System.currentTimeMillis() - 60_000)).build()));
        }

        @Test
        void expiredWithinSkewIsAccepted() throws Exception {
            String token = rs256(claims().expirationTime(new Date(System.currentTimeMillis() - 10_000)).build());
            assertSubject(resolve(resolver(LONG), token), "jwt:" + ISSUER + " alice", token);
        }

        @Test
        void notYetValidBeyondSkewIsInvalid() throws Exception {
            assertInvalid(resolver(LONG), rs256(claims().notBeforeTime(new Date(System.currentTimeMillis() + 60_000)).build()));
        }

        @Test
        void notYetValidWithinSkewIsAccepted() throws Exception {
            String token = rs256(claims().notBeforeTime(new Date(System.currentTimeMillis() + 10_000)).build());
            assertSubject(resolve(resolver(LONG), token), "jwt:" + ISSUER + " alice", token);
        }

        @Test
        void missingExpIsInvalid() throws Exception {
            assertInvalid(resolver(LONG), rs256(claims().expirationTime(null).build()));
        }

        @ParameterizedTest
        @ValueSource(strings = {"https://evil.example.com", "https://idp.example.com/", "https://IDP.example.com",
            "https://idp.example.com.evil.com", ""})
        void wrongIssuerIsInvalid(String issuer) throws Exception {
            assertInvalid(resolver(LONG), rs256(claims().issuer(issuer).build()));
        }

        @Test
        void missingIssuerIsInvalid() throws Exception {
            assertInvalid(resolver(LONG), rs256(claims().issuer(null).build()));
        }

        @Test
        void wrongAudienceIsInvalid() throws Exception {
            assertInvalid(resolver(LONG), rs256(claims().audience("another-app").build()));
            assertInvalid(resolver(LONG), rs256(claims().audience(List.of("a", "b")).build()));
        }

        @Test
        void missingAudienceIsInvalid() throws Exception {
            assertInvalid(resolver(LONG), rs256(claims().audience((String) null).build()));
        }

        @Test
        void missingSubjectIsInvalid() throws Exception {
            assertInvalid(resolver(LONG), rs256(claims().subject(null).build()));
        }

        @Test
        void blankSubjectIsInvalid() throws Exception {
            assertInvalid(resolver(LONG), rs256(claims().subject(" ").build()));
            assertInvalid(resolver(LONG), rs256(claims().subject("").build()));
        }

        @Test
        void numericSubIsTakenAsItsDecimalString() throws Exception {
            // Nimbus coerces a numeric "sub" to a string (some IdPs issue them); pinned so a change is noticed
            long exp = nowSeconds() + 300;
            String token = signedPayload("{\"iss\":\"" + ISSUER + "\",\"sub\":42,\"aud\":\"" + AUDIENCE
                    + "\",\"exp\":" + exp + "}");
            assertSubject(resolve(resolver(LONG), token), "jwt:" + ISSUER + " 42", token);
        }

        @Test
        void subjectThatIsNotAStringIsInvalid() throws Exception {
            long exp = nowSeconds() + 300;
            assertInvalid(resolver(LONG), signedPayload("{\"iss\":\"" + ISSUER + "\",\"sub\":[\"alice\"],\"aud\":\""
                    + AUDIENCE + "\",\"exp\":" + exp + "}"));
            assertInvalid(resolver(LONG), signedPayload("{\"iss\":\"" + ISSUER + "\",\"sub\":true,\"aud\":\""
                    + AUDIENCE + "\",\"exp\":" + exp + "}"));
            JwtSubjectResolver custom = resolver(jwksUri(), new JwtRules(ISSUER, List.of(AUDIENCE), "uid", Duration.ofSeconds(30)), LONG);
            assertInvalid(custom, signedPayload("{\"iss\":\"" + ISSUER + "\",\"uid\":42,\"aud\":\"" + AUDIENCE
                    + "\",\"exp\":" + exp + "}"));
            assertInvalid(resolver(LONG), signedPayload("{\"iss\":\"" + ISSUER + "\",\"sub\":{\"a\":1},\"aud\":\"" + AUDIENCE
                    + "\",\"exp\":" + exp + "}"));
        }

        @Test
        void duplicateClaimsAreInvalid() throws Exception {
            long exp = nowSeconds() + 300;
            // which "sub" wins must not be up to the parser: a token with two subjects is refused
            String token = signedPayload("{\"iss\":\"" + ISSUER + "\",\"sub\":\"alice\",\"sub\":\"admin\",\"aud\":\""
                    + AUDIENCE + "\",\"exp\":" + exp + "}");
            assertInvalid(resolver(LONG), token);
        }
    }

    /** Tokens verified once are not verified again, but the cache never outlives what made them valid. */
    @Nested
    class VerifiedTokenCache {

        @Test
        void aRememberedTokenIsRefusedOnceItExpires() throws Exception {
            JwksRefreshTest.FakeClock clock = new JwksRefreshTest.FakeClock(Instant.now());
            JwtSubjectResolver resolver = new JwtSubjectResolver(new JwksSource(webClient, JwksLocation.fixed(jwksUri()), JwksSchedule.of(LONG, Duration.ofMinutes(5)), clock, Schedulers.parallel()),
                new JwtRules(ISSUER, List.of(AUDIENCE), "sub", Duration.ZERO), clock);
            String longLived = rs256(claims().build());
            assertSubject(resolve(resolver, longLived), "jwt:" + ISSUER + " alice", longLived); // keys fetched, client warm
            long exp = (clock.millis() / 1000 + 3) * 1000; // a whole second (exp's precision), 2-3 s ahead
            String token = rs256(claims().expirationTime(new Date(exp)).build());
            assertSubject(resolve(resolver, token), "jwt:" + ISSUER + " alice", token);
            assertSubject(resolve(resolver, token), "jwt:" + ISSUER + " alice", token); // remembered
            clock.advance(Duration.ofMillis(exp - clock.millis() - 300));
            assertSubject(resolve(resolver, token), "jwt:" + ISSUER + " alice", token); // not yet
            clock.advance(Duration.ofMillis(600));
            assertInvalid(resolve(resolver, token));
        }

        @Test
        void aRememberedTokenIsVerifiedAgainAgainstANewKeySet() throws Exception {
            JwksRefreshTest.FakeClock clock = new JwksRefreshTest.FakeClock(Instant.now());
            JwtSubjectResolver resolver = resolver(Duration.ofMillis(100), clock);
            String signedByRetiredKey = rs256(claims().build());
            assertSubject(resolve(resolver, signedByRetiredKey), "jwt:" + ISSUER + " alice", signedByRetiredKey);

            RSAKey next = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
            serveJwks(next); // the IdP retires rsa-1
            clock.advance(Duration.ofMillis(150));
            String signedByNewKey = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-2").build(),
                    claims().subject("bob").build(), new RSASSASigner(next));
            assertSubject(resolve(resolver, signedByNewKey), "jwt:" + ISSUER + " bob", signedByNewKey); // fetches the new set

            assertInvalid(resolve(resolver, signedByRetiredKey));
        }

        @Test
        void knownAnswersOnlyTokensVerifiedBeforeAndOnlyWhileTheirKeySetIsCurrent() throws Exception {
            JwksRefreshTest.FakeClock clock = new JwksRefreshTest.FakeClock(Instant.now());
            JwtSubjectResolver resolver = resolver(Duration.ofMillis(100), clock);
            String token = rs256(claims().build());
            assertThat(known(resolver, token)).as("never verified").isNull();
            assertSubject(resolve(resolver, token), "jwt:" + ISSUER + " alice", token);

            Subject known = known(resolver, token);
            assertThat(known).isNotNull();
            assertThat(known.key()).isEqualTo("jwt:" + ISSUER + " alice");
            assertThat(known.token()).isEqualTo(token);
            String other = rs256(claims().subject("bob").build());
            assertThat(known(resolver, other)).as("a different token of the same IdP").isNull();

            RSAKey next = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
            serveJwks(next);
            clock.advance(Duration.ofMillis(150));
            String signedByNewKey = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-2").build(),
                    claims().subject("carol").build(), new RSASSASigner(next));
            assertSubject(resolve(resolver, signedByNewKey), "jwt:" + ISSUER + " carol", signedByNewKey);
            assertThat(known(resolver, token)).as("verified against a key set that is gone").isNull();
        }

        @Test
        void aRememberedTokenSpeaksOnlyForItself() throws Exception {
            JwtSubjectResolver resolver = resolver(LONG);
            String token = rs256(claims().build());
            assertSubject(resolve(resolver, token), "jwt:" + ISSUER + " alice", token);
            // A character well inside the signature: the last one carries padding bits, and a change
            // there can decode to the very same signature.
            int at = token.length() - 10;
            String tampered = token.substring(0, at) + (token.charAt(at) == 'A' ? 'B' : 'A') + token.substring(at + 1);
            assertInvalid(resolve(resolver, tampered));
        }
    }
}
