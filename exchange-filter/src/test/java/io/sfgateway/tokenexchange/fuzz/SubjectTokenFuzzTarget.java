package io.sfgateway.tokenexchange.fuzz;

import io.sfgateway.tokenexchange.BearerToken;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
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
import io.sfgateway.tokenexchange.LogSafe;
import io.sfgateway.tokenexchange.Subject;
import io.sfgateway.tokenexchange.TokenDigest;
import io.sfgateway.tokenexchange.subject.BearerTokens;
import io.sfgateway.tokenexchange.subject.JwksLocation;
import io.sfgateway.tokenexchange.subject.JwksSchedule;
import io.sfgateway.tokenexchange.subject.JwksSource;
import io.sfgateway.tokenexchange.subject.JwtRules;
import io.sfgateway.tokenexchange.subject.JwtSubjectResolver;
import io.sfgateway.tokenexchange.subject.OpaqueTokenShape;
import io.sfgateway.tokenexchange.subject.SubjectResolver;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.scheduler.Schedulers;

/**
 * The fuzz target of the subject path: an {@code Authorization} header value, built from fuzzer
 * input (raw, or a genuine token mutated), goes through {@link BearerTokens} and
 * {@link JwtSubjectResolver}. Properties checked on every input:
 * <ul>
 *   <li>the only failure is {@link InvalidSubjectException}: nothing crashes, nothing hangs;</li>
 *   <li>a token is accepted only when it carries the genuine token's subject (no forgery);</li>
 *   <li>no refusal message holds the token, a line break or any other control or format
 *       character, and none is longer than {@link LogSafe#MAX_LENGTH} (and a bit);</li>
 *   <li>{@link LogSafe#text} of the raw input is log-safe the same way;</li>
 *   <li>the opaque-mode shape check refuses exactly the tokens under its minimum length;</li>
 *   <li>nothing was fetched but the configured JWKS, once (no {@code jku}/{@code x5u} fetches).</li>
 * </ul>
 * The JUnit {@code SubjectTokenFuzzTest} runs it for a short budget in every build;
 * {@code exchange-filter/fuzz.sh} runs it with Jazzer's own driver for as long as you like.
 */
public final class SubjectTokenFuzzTarget {

    static final String ISSUER = "https://idp.fuzz.example";
    static final String AUDIENCE = "salesforce-gateway";

    private static final AtomicLong accepted = new AtomicLong();
    /** The opaque-mode shape check with its default minimum length. */
    private static final SubjectResolver OPAQUE = SubjectResolver.opaque(new OpaqueTokenShape(16, null));
    private static WireMockServer idp;
    private static JwtSubjectResolver resolver;
    private static String genuine;

    private SubjectTokenFuzzTarget() {
    }

    /** Jazzer's entry point for its own driver. */
    public static void fuzzerInitialize() {
        start();
    }

    static synchronized void start() {
        if (resolver != null) {
            return;
        }
        try {
            RSAKey key = new RSAKeyGenerator(2048).keyID("fuzz-key").generate();
            idp = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
            idp.start();
            idp.stubFor(WireMock.get("/jwks").willReturn(WireMock.okJson(new JWKSet(key.toPublicJWK()).toString())));
            resolver = new JwtSubjectResolver(new JwksSource(WebClient.create(), JwksLocation.fixed(URI.create(idp.baseUrl() + "/jwks")), JwksSchedule.of(Duration.ofHours(1), Duration.ofMinutes(5)), Clock.systemUTC(),
                Schedulers.parallel()), new JwtRules(ISSUER, List.of(AUDIENCE), "sub", Duration.ofSeconds(30)), Clock.systemUTC());
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("fuzz-key").build(),
                    new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE).subject("alice")
                            .expirationTime(new Date(System.currentTimeMillis() + 3_600_000)).build());
            jwt.sign(new RSASSASigner(key));
            genuine = jwt.serialize();
            Subject warm = resolver.resolve(BearerToken.of(genuine), TokenDigest.of(genuine)).block(Duration.ofSeconds(10)); // fetches the JWKS once
            if (warm == null) {
                throw new IllegalStateException("genuine token not accepted");
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static synchronized void stop() {
        if (idp != null) {
            idp.stop();
        }
    }

    public static void fuzzerTestOneInput(FuzzedDataProvider data) {
        check(data.consumeBoolean() ? mutate(genuine, data) : data.consumeRemainingAsString());
    }

    /** Sends {@code Bearer <token>} down the subject path and checks every property. */
    static void check(String token) {
        HttpHeaders headers = new HttpHeaders();
        headers.add(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        try {
            BearerToken bearer = BearerTokens.extract(headers);
            Subject subject = resolver.resolve(bearer, TokenDigest.of(bearer)).block(Duration.ofSeconds(5));
            if (subject == null || !subject.key().equals("jwt:" + ISSUER + " alice")) {
                throw new AssertionError("accepted a token for " + subject);
            }
            accepted.incrementAndGet();
        } catch (InvalidSubjectException refused) {
            if (token.length() > 8 && refused.getMessage() != null && refused.getMessage().contains(token)) {
                throw new AssertionError("refusal message holds the token");
            }
            assertLogSafe(refused.getMessage(), "refusal message");
        }
        assertLogSafe(LogSafe.text(token), "LogSafe.text of the input");
        boolean admitted = OPAQUE.known(BearerToken.of(token), TokenDigest.of(token)) != null;
        if (admitted != token.length() >= 16) {
            throw new AssertionError("the opaque shape check " + (admitted ? "admitted" : "refused") + " a token of "
                    + token.length() + " characters");
        }
        int fetches = idp.findAll(WireMock.anyRequestedFor(WireMock.anyUrl())).size();
        if (fetches != 1) {
            throw new AssertionError(fetches + " requests reached the network; only the one JWKS fetch is allowed");
        }
    }

    /** What may reach a log line from a request: no character that breaks or hides a line, and a bounded length. */
    private static void assertLogSafe(String text, String what) {
        if (text.length() > LogSafe.MAX_LENGTH + 32) {
            throw new AssertionError(what + " is " + text.length() + " characters long");
        }
        for (int i = 0; i < text.length(); i++) {
            switch (Character.getType(text.charAt(i))) {
                case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                     Character.SURROGATE -> throw new AssertionError(what + " holds U+"
                        + Integer.toHexString(text.charAt(i)));
                default -> {
                }
            }
        }
    }

    /** How many inputs were accepted (the genuine token, or a mutation that kept its meaning). */
    static long accepted() {
        return accepted.get();
    }

    static String genuine() {
        return genuine;
    }

    private static String mutate(String token, FuzzedDataProvider data) {
        StringBuilder mutated = new StringBuilder(token);
        int edits = data.consumeInt(1, 8);
        for (int i = 0; i < edits && mutated.length() > 0; i++) {
            int at = data.consumeInt(0, mutated.length() - 1);
            switch (data.consumeInt(0, 3)) {
                case 0 -> mutated.setCharAt(at, data.consumeChar());
                case 1 -> mutated.deleteCharAt(at);
                case 2 -> mutated.insert(at, data.consumeString(16));
                default -> mutated.setLength(at);
            }
        }
        return mutated.toString();
    }
}
