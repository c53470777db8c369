package io.sfgateway.tokenexchange.subject;

import io.sfgateway.tokenexchange.BearerToken;
import io.sfgateway.tokenexchange.Subject;
import io.sfgateway.tokenexchange.TokenDigest;
import io.sfgateway.tokenexchange.InvalidSubjectException;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import io.sfgateway.tokenexchange.ExchangeFailure;
import io.sfgateway.tokenexchange.InvalidSubjectException.Reason;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Validates the caller's token as a JWS signed by the configured IdP: an asymmetric algorithm
 * (RSA, RSA-PSS or EC; never {@code none} or HMAC), a key from the IdP's JWKS chosen by
 * {@code kid}, then {@code iss}, {@code aud}, {@code exp} and {@code nbf} with clock skew, and a
 * non-blank {@code sub} (and subject claim, when another is configured). The issuer and at least
 * one audience are required: a resolver that accepted any of them would let a token minted for
 * another relying party of the same IdP ride a cached session.
 *
 * <p>Header parameters that point at keys ({@code jku}, {@code x5u}, {@code jwk}, {@code x5c})
 * are never used; a token with {@code crit} parameters is refused, as is a JWE, an unsigned JWT
 * and a nested JWT (its payload is not a claims set).
 */
public final class JwtSubjectResolver implements SubjectResolver {

    private static final Set<JWSAlgorithm> ALGORITHMS = Stream.of(JWSAlgorithm.Family.RSA, JWSAlgorithm.Family.EC)
            .flatMap(Set::stream).collect(Collectors.toUnmodifiableSet());
    private static final int MIN_RSA_BITS = 2048;

    private final JwksSource keys;
    private final String issuer;
    private final String subjectClaim;
    private final ClaimsVerifier claimsVerifier;
    private final KeyVerifiers verifiers = new KeyVerifiers();
    private final VerifiedTokens verified;
    private final long clockSkewMillis;
    private final Clock clock;

    /**
     * @param keys the IdP's signing keys: a configured {@code jwks-uri}, or OIDC discovery of the issuer
     * @param clock what the verified-token memo and the claims checks read the time from
     */
    public JwtSubjectResolver(JwksSource keys, JwtRules rules, Clock clock) {
        this.keys = keys;
        this.clock = clock;
        this.verified = new VerifiedTokens(100_000, clock);
        this.issuer = rules.issuer();
        this.subjectClaim = rules.subjectClaim();
        this.claimsVerifier = new ClaimsVerifier(rules.issuer(), rules.audiences(), rules.subjectClaim(), rules.clockSkew(),
                clock);
        this.clockSkewMillis = rules.clockSkew().toMillis();
    }

    /** Fetches the IdP's keys now, so the first request does not wait for them. */
    public void prefetchKeys() {
        keys.prefetch();
    }

    /** Completes once the IdP's keys are fetched (fetching them if allowed now); fails until then. */
    @Override
    public Mono<Void> ready() {
        return keys.fetched();
    }

    @Override
    public Mono<Subject> resolve(BearerToken token, TokenDigest digest) {
        Subject known = known(token, digest);
        return known != null ? Mono.just(known) : verify(token, digest);
    }

    /** The subject of a token verified before, still unexpired and verified against the current keys. */
    @Override
    public Subject known(BearerToken token, TokenDigest digest) {
        String key = verified.subjectKey(VerifiedTokens.digest(digest), clock.millis(), keys.version());
        return key == null ? null : Subject.validatedAs(key, token, digest);
    }

    private Mono<Subject> verify(BearerToken token, TokenDigest digest) {
        SignedJWT jwt;
        try {
            jwt = parse(token.value());
        } catch (InvalidSubjectException e) {
            return Mono.error(e);
        }
        return keys.keysFor(jwt.getHeader().getKeyID())
                .onErrorMap(error -> !(error instanceof InvalidSubjectException), error ->
                        new ExchangeFailure(ExchangeFailure.Kind.UNAVAILABLE, "IdP signing keys unavailable", 5))
                .map(keySet -> verify(jwt, keySet.keys(), token, digest, keySet.version()));
    }

    private static SignedJWT parse(String token) {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException | RuntimeException e) {
            // Nimbus throws unchecked exceptions on some malformed input (e.g. a header that is JSON null)
            throw invalid("not a JWT");
        }
        if (!(jwt instanceof SignedJWT signed)) {
            throw invalid("not a signed JWT (unsigned or encrypted)");
        }
        JWSHeader header = signed.getHeader();
        if (!ALGORITHMS.contains(header.getAlgorithm())) {
            throw invalid("algorithm is not allowed"); // never echoed: the header is the caller's text
        }
        if (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty()) {
            throw invalid("critical header parameters are not supported");
        }
        return signed;
    }

    private Subject verify(SignedJWT jwt, JWKSet jwkSet, BearerToken token, TokenDigest digest,
            long keySetVersion) {
        JWSHeader header = jwt.getHeader();
        JWKMatcher matcher = new JWKMatcher.Builder()
                .keyType(KeyType.forAlgorithm(header.getAlgorithm()))
                .keyID(header.getKeyID())
                .keyUses(KeyUse.SIGNATURE, null)
                .algorithms(header.getAlgorithm(), null)
                .build();
        boolean signed = false;
        for (JWK candidate : new JWKSelector(matcher).select(jwkSet)) {
            if (verifies(jwt, candidate)) {
                signed = true;
                break;
            }
        }
        if (!signed) {
            throw invalid("signature does not verify with the IdP's keys");
        }
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
            claimsVerifier.verify(claims, null);
        } catch (ParseException e) {
            throw invalid("claims are not a valid JWT claims set");
        } catch (BadJWTException e) {
            throw invalid(e.getMessage());
        }
        String sub = stringClaim(claims, "sub");
        String key = "sub".equals(subjectClaim) ? Subject.validatedKey(issuer, sub)
                : Subject.validatedKey(issuer, sub, subjectClaim, stringClaim(claims, subjectClaim));
        long notAfter = claims.getExpirationTime().getTime() + clockSkewMillis;
        // Trusted while this key set is current: once another is fetched, the entry misses and the token is verified again.
        verified.remember(VerifiedTokens.digest(digest), new VerifiedTokens.Verified(key, notAfter, keySetVersion));
        return Subject.validatedAs(key, token, digest);
    }

    private static String stringClaim(JWTClaimsSet claims, String name) {
        String value;
        try {
            value = claims.getStringClaim(name);
        } catch (ParseException e) {
            throw invalid("claim " + name + " is not a string");
        }
        if (value == null || value.isBlank()) {
            throw invalid("claim " + name + " is missing");
        }
        return value;
    }

    private boolean verifies(SignedJWT jwt, JWK candidate) {
        try {
            if (candidate instanceof RSAKey rsa && rsa.size() < MIN_RSA_BITS) {
                return false;
            }
            if (!(candidate instanceof AsymmetricJWK)) {
                return false;
            }
            JWSVerifier verifier = verifiers.forKey(jwt.getHeader(), (JWK & AsymmetricJWK) candidate);
            return jwt.verify(verifier);
        } catch (JOSEException | IllegalStateException e) {
            return false;
        }
    }

    private static InvalidSubjectException invalid(String detail) {
        return new InvalidSubjectException(Reason.INVALID, detail);
    }
}
