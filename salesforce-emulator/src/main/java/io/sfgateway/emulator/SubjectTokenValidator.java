package io.sfgateway.emulator;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * What the emulated Apex token handler does with a subject token: a JWT must be RS256, signed by one of the IdP's
 * current keys, from its issuer, for the configured audience, unexpired, with a subject; anything else is handed to
 * the {@link OpaqueTokenRule}. Keys come in-process from the IdP, so nothing is fetched over the network.
 */
final class SubjectTokenValidator {

    /** Tolerance for {@code nbf} only; {@code exp} is checked strictly. */
    private static final Duration NOT_BEFORE_SKEW = Duration.ofSeconds(5);

    /** A verdict: the subject, or why the token was refused (never the token itself). */
    record Verdict(String subject, String reason) {
        static Verdict accept(String subject) {
            return new Verdict(subject, null);
        }

        static Verdict refuse(String reason) {
            return new Verdict(null, reason);
        }

        boolean accepted() {
            return subject != null;
        }
    }

    private final IdentityProvider idp;
    private final String audience;
    private final OpaqueTokenRule opaqueRule;
    private final Clock clock;

    SubjectTokenValidator(IdentityProvider idp, String audience, OpaqueTokenRule opaqueRule, Clock clock) {
        this.idp = idp;
        this.audience = audience;
        this.opaqueRule = opaqueRule;
        this.clock = clock;
    }

    Verdict validate(String token) {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException notAJwt) {
            return opaque(token);
        }
        if (!(jwt instanceof SignedJWT signed)) {
            return Verdict.refuse("unsigned or encrypted JWT");
        }
        try {
            return validateSigned(signed);
        } catch (ParseException | JOSEException e) {
            return Verdict.refuse("malformed JWT");
        }
    }

    private Verdict opaque(String token) {
        Optional<String> subject;
        try {
            subject = opaqueRule.subjectOf(token);
        } catch (RuntimeException e) {
            return Verdict.refuse("opaque token rule failed");
        }
        return subject.filter(s -> !s.isBlank()).map(Verdict::accept)
                .orElseGet(() -> Verdict.refuse("opaque token refused by rule"));
    }

    private Verdict validateSigned(SignedJWT jwt) throws ParseException, JOSEException {
        JWSHeader header = jwt.getHeader();
        if (!JWSAlgorithm.RS256.equals(header.getAlgorithm())) {
            return Verdict.refuse("algorithm " + header.getAlgorithm() + " not accepted");
        }
        if (!signatureVerifies(jwt, header.getKeyID())) {
            return Verdict.refuse("signature does not verify with the IdP's current keys");
        }
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        Instant now = clock.instant();
        if (!idp.issuer().equals(claims.getIssuer())) {
            return Verdict.refuse("wrong issuer");
        }
        List<String> audiences = claims.getAudience();
        if (audiences == null || !audiences.contains(audience)) {
            return Verdict.refuse("wrong audience");
        }
        Date exp = claims.getExpirationTime();
        if (exp == null || !exp.toInstant().isAfter(now)) {
            return Verdict.refuse("expired or no exp");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().isAfter(now.plus(NOT_BEFORE_SKEW))) {
            return Verdict.refuse("not yet valid");
        }
        String subject = claims.getSubject();
        if (subject == null || subject.isBlank()) {
            return Verdict.refuse("no subject");
        }
        return Verdict.accept(subject);
    }

    private boolean signatureVerifies(SignedJWT jwt, String kid) throws JOSEException {
        for (JWK key : idp.publicKeys().getKeys()) {
            if (key instanceof RSAKey rsa && (kid == null || kid.equals(key.getKeyID()))
                    && jwt.verify(new RSASSAVerifier(rsa))) {
                return true;
            }
        }
        return false;
    }
}
