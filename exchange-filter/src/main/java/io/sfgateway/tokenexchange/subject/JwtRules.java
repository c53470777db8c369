package io.sfgateway.tokenexchange.subject;

import java.time.Duration;
import java.util.List;

/**
 * Which signed tokens a registration accepts. The issuer and at least one audience are required:
 * a resolver that accepted any of them would let a token minted for another relying party of the
 * same IdP ride a cached session.
 *
 * @param issuer the exact {@code iss} required
 * @param audiences accepted {@code aud} values, at least one
 * @param subjectClaim the claim that names the user ({@code sub}, or another beside it)
 * @param clockSkew how far {@code exp} and {@code nbf} may be off
 */
public record JwtRules(String issuer, List<String> audiences, String subjectClaim, Duration clockSkew) {

    public JwtRules {
        if (issuer == null || issuer.isBlank()) {
            throw new IllegalArgumentException("an issuer is required: without one, any issuer the keys sign for is accepted");
        }
        if (audiences == null || audiences.isEmpty()) {
            throw new IllegalArgumentException("at least one audience is required: without one, any audience is accepted");
        }
        audiences = List.copyOf(audiences);
    }
}
