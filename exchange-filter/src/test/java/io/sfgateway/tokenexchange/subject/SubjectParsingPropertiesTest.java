package io.sfgateway.tokenexchange.subject;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.http.HttpHeaders;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Signal;
import reactor.test.StepVerifier;

/**
 * Whatever a caller puts in {@code Authorization}, {@link BearerTokens} and
 * {@link JwtSubjectResolver} answer a subject or an {@link InvalidSubjectException}: no other
 * exception, and never a hang.
 */
class SubjectParsingPropertiesTest {

    private static final String ISSUER = "https://idp.example.com";
    private static final String AUDIENCE = "salesforce-gateway";
    private static final String EXPECTED_KEY = "jwt:" + ISSUER + " alice";
    private static final String B64_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~+/=";
    private static final Duration BOUND = Duration.ofSeconds(5);

    private static WireMockServer idp;
    private static JwtSubjectResolver resolver;
    private static List<String> validTokens;

    @BeforeContainer
    static void start() throws Exception {
        idp = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        idp.start();
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        idp.stubFor(get(urlEqualTo("/jwks")).willReturn(okJson(new JWKSet(List.<JWK>of(rsa.toPublicJWK(),
                ec.toPublicJWK())).toString())));
        resolver = new JwtSubjectResolver(JwtSubjectResolverTest.webClient(), URI.create(idp.baseUrl() + "/jwks"), ISSUER,
                List.of(AUDIENCE), "sub", Duration.ofSeconds(30), Duration.ofMinutes(10));
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).subject("alice").audience(AUDIENCE)
                .expirationTime(new Date(System.currentTimeMillis() + 3_600_000)).build();
        SignedJWT rs = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(), claims);
        rs.sign(new RSASSASigner(rsa));
        SignedJWT es = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec-1").build(), claims);
        es.sign(new ECDSASigner(ec));
        validTokens = List.of(rs.serialize(), es.serialize());
    }

    @AfterContainer
    static void stop() {
        idp.stop();
    }

    /** Runs the header through both stages; answers normally only when the outcome is acceptable. */
    private static void check(String header, boolean mayBeValid) {
        HttpHeaders headers = new HttpHeaders();
        headers.add(HttpHeaders.AUTHORIZATION, header);
        String token;
        try {
            token = BearerTokens.extract(headers);
        } catch (InvalidSubjectException refused) {
            return;
        }
        Mono<Subject> resolved;
        try {
            resolved = resolver.resolve(token);
        } catch (InvalidSubjectException refused) {
            return;
        }
        StepVerifier.create(resolved.materialize())
                .assertNext(signal -> assertAcceptable(signal, token, mayBeValid))
                .expectComplete()
                .verify(BOUND);
    }

    private static void assertAcceptable(Signal<Subject> signal, String token, boolean mayBeValid) {
        if (signal.isOnError()) {
            assertThat(signal.getThrowable()).isInstanceOf(InvalidSubjectException.class);
            assertThat(signal.getThrowable().getMessage()).doesNotContain(token);
        } else {
            assertThat(mayBeValid).as("only a (mutation of a) valid token may resolve, got %s", signal).isTrue();
            assertThat(signal.isOnNext()).as("a subject or an error, got %s", signal).isTrue();
            assertThat(signal.get().key()).isEqualTo(EXPECTED_KEY);
            assertThat(signal.get().token()).isEqualTo(token);
        }
    }

    @Property(tries = 300)
    void untouchedValidTokensResolve(@ForAll("validToken") String token, @ForAll("bearerScheme") String scheme) {
        HttpHeaders headers = new HttpHeaders();
        headers.add(HttpHeaders.AUTHORIZATION, scheme + " " + token);
        String extracted = BearerTokens.extract(headers);
        assertThat(extracted).isEqualTo(token);
        StepVerifier.create(resolver.resolve(extracted))
                .assertNext(subject -> assertThat(subject.key()).isEqualTo(EXPECTED_KEY))
                .expectComplete()
                .verify(BOUND);
    }

    @Property(tries = 300)
    void arbitraryHeadersNeverThrowAnythingElse(@ForAll("arbitraryHeader") String header) {
        check(header, false);
    }

    @Property(tries = 300)
    void arbitraryTokenShapedStringsNeverThrowAnythingElse(@ForAll("tokenShaped") String token) {
        check("Bearer " + token, false);
    }

    @Property(tries = 300)
    void mutatedValidTokensAreRefusedOrStillAlice(@ForAll("mutatedToken") String token) {
        check("Bearer " + token, true);
    }

    @Provide
    Arbitrary<String> validToken() {
        return Arbitraries.of(validTokens);
    }

    @Provide
    Arbitrary<String> bearerScheme() {
        return Arbitraries.of("Bearer", "bearer", "BEARER", "bEARER");
    }

    @Provide
    Arbitrary<String> arbitraryHeader() {
        Arbitrary<String> any = Arbitraries.strings().all().ofMaxLength(300);
        Arbitrary<String> bearerAny = any.map(s -> "Bearer " + s);
        Arbitrary<String> huge = Arbitraries.integers().between(9_990, 10_010).map(n -> "Bearer " + "a".repeat(n));
        return Arbitraries.oneOf(any, bearerAny, huge);
    }

    @Provide
    Arbitrary<String> tokenShaped() {
        Arbitrary<String> segment = Arbitraries.strings().withChars(B64_CHARS).ofMaxLength(80);
        Arbitrary<String> jsonish = Arbitraries.of("{}", "null", "[]", "{\"alg\":\"RS256\"}", "{\"alg\":\"none\"}",
                "{\"alg\":\"ES256\",\"kid\":\"ec-1\"}", "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"crit\":[\"x\"]}",
                "{\"alg\":\"RSA-OAEP\",\"enc\":\"A128GCM\"}", "{\"alg\":\"HS256\"}", "\"x\"", "{\"alg\":{}}", "{\"alg\":[]}",
                "{\"iss\":\"" + ISSUER + "\",\"sub\":\"alice\"}", "{\"exp\":\"x\"}", "{\"aud\":{}}", "{\"sub\":[]}", "{")
                .map(json -> com.nimbusds.jose.util.Base64URL.encode(json).toString());
        Arbitrary<String> part = Arbitraries.oneOf(segment, jsonish);
        return part.list().ofMinSize(1).ofMaxSize(6).map(parts -> String.join(".", parts));
    }

    @Provide
    Arbitrary<String> mutatedToken() {
        Arbitrary<String> valid = validToken();
        Arbitrary<String> flipped = Combinators.combine(valid, Arbitraries.integers().between(0, 10_000),
                Arbitraries.chars().with(B64_CHARS.toCharArray()))
                .as((t, i, c) -> {
                    int at = i % t.length();
                    return t.substring(0, at) + c + t.substring(at + 1);
                });
        Arbitrary<String> truncated = Combinators.combine(valid, Arbitraries.integers().between(1, 10_000))
                .as((t, i) -> t.substring(0, i % t.length()));
        Arbitrary<String> dropped = Combinators.combine(valid, Arbitraries.integers().between(0, 10_000))
                .as((t, i) -> {
                    int at = i % t.length();
                    return t.substring(0, at) + t.substring(at + 1);
                });
        Arbitrary<String> recombined = Combinators.combine(valid, valid,
                Arbitraries.integers().between(0, 2).list().ofMinSize(1).ofMaxSize(6))
                .as((a, b, picks) -> {
                    String[] pa = a.split("\\.", -1);
                    String[] pb = b.split("\\.", -1);
                    StringBuilder out = new StringBuilder();
                    for (int k = 0; k < picks.size(); k++) {
                        if (k > 0) {
                            out.append('.');
                        }
                        out.append((k % 2 == 0 ? pa : pb)[picks.get(k)]);
                    }
                    return out.toString();
                });
        Arbitrary<String> concatenated = Combinators.combine(valid, valid, Arbitraries.of("", ".", "..", "="))
                .as((a, b, sep) -> a + sep + b);
        return Arbitraries.oneOf(flipped, truncated, dropped, recombined, concatenated);
    }
}
