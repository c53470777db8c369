package io.sfgateway.tokenexchange.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Positive;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Local validation of the caller's token as a JWT ({@code registrations.<name>.subject}).
 *
 * @param validate whether to validate locally (the default); false for opaque tokens, which
 *     Salesforce's handler alone validates: then every new token costs an exchange, so
 *     {@code opaque-admission} bounds them, and start-up logs a warning
 * @param issuer the exact {@code iss} required; required when validating unless
 *     {@code issuer-uri} is set
 * @param issuerUri the IdP's issuer, as Spring Security's resource server takes it: the exact
 *     {@code iss} required, and, when {@code jwks-uri} is not set, where OpenID Connect discovery
 *     ({@code <issuer-uri>/.well-known/openid-configuration}) finds the signing keys; the
 *     document's {@code issuer} must equal it exactly
 * @param jwksUri where the IdP publishes its signing keys; when set it wins over discovery;
 *     required when validating unless {@code issuer-uri} is set
 * @param audiences accepted {@code aud} values; at least one is required when validating
 * @param subjectClaim the claim naming the user; the session key always holds {@code sub}
 *     and the issuer too, so another claim can only narrow a key, never widen it
 * @param clockSkew tolerance for {@code exp} and {@code nbf}
 * @param jwksRefetchInterval deprecated: the former name of {@code jwks.min-refresh}, used
 *     when that is not set
 * @param opaqueTokenLifetime with {@code validate: false}, the longest a session obtained
 *     for an opaque token is used before the token is exchanged (so judged by Salesforce)
 *     again: a revoked or expired token stops working within this time
 * @param opaqueAdmission with {@code validate: false}, how new opaque tokens are admitted
 * @param jwks how the IdP's signing keys are fetched again
 */
public record SubjectProperties(
        @DefaultValue("true") boolean validate,
        String issuer,
        URI issuerUri,
        URI jwksUri,
        List<String> audiences,
        @DefaultValue("sub") String subjectClaim,
        @DefaultValue("30s") @DurationMin(nanos = 0) Duration clockSkew,
        @Deprecated Duration jwksRefetchInterval,
        @DefaultValue("5m") Duration opaqueTokenLifetime,
        @DefaultValue @Valid OpaqueAdmission opaqueAdmission,
        @DefaultValue @Valid Jwks jwks) {

    public SubjectProperties {
        audiences = audiences == null ? List.of() : List.copyOf(audiences);
    }

    /** The {@code iss} required: {@code issuer-uri} when set (start-up refuses a different {@code issuer}), else {@code issuer}. */
    public String requiredIssuer() {
        return issuerUri != null ? issuerUri.toString() : issuer;
    }

    /**
     * Admission of new opaque tokens ({@code subject.validate: false}): each one costs an
     * exchange, so before any is sent to Salesforce it must have a plausible shape, and new
     * ones are rate-limited per client address and per registration. Requests for a token
     * whose session is cached are never limited. Refused requests are answered 429 with
     * {@code Retry-After}.
     *
     * @param minLength the shortest token accepted (the longest is 10,000 characters)
     * @param pattern a regular expression the whole token must match, when the IdP's token
     *     format is known; unset accepts any RFC 6750 b64token
     * @param perClientLimit new opaque tokens one client address may present per
     *     {@code limit-period}
     * @param globalLimit new opaque tokens all clients together may present per
     *     {@code limit-period}
     * @param limitPeriod the period both limits refill over
     * @param maxTrackedClients the most client addresses whose limit is tracked at once (least
     *     recently seen are forgotten first)
     */
    public record OpaqueAdmission(
            @DefaultValue("16") @Positive int minLength,
            String pattern,
            @DefaultValue("20") int perClientLimit,
            @DefaultValue("200") int globalLimit,
            @DefaultValue("1s") @DurationMin(nanos = 1) Duration limitPeriod,
            @DefaultValue("10000") @Positive int maxTrackedClients) {
    }

    /**
     * @param minRefresh the least time between two fetches of the key set caused by a token
     *     naming an unknown {@code kid}, or by the set's age; default 30s
     * @param maxBackoff while the IdP fails, fetches back off exponentially from
     *     {@code min-refresh} up to this
     */
    public record Jwks(
            Duration minRefresh,
            @DefaultValue("5m") @DurationMin(nanos = 1) Duration maxBackoff) {
    }
}
