package io.sfgateway.tokenexchange.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Positive;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMin;

/** Local validation of the caller's token as a JWT ({@code registrations.<name>.subject}). */
public class SubjectProperties {

    /**
     * Whether to validate locally (the default); false for opaque tokens, which Salesforce's
     * handler alone validates: then every new token costs an exchange, so opaque-admission bounds
     * them, and start-up logs a warning.
     */
    private boolean validate = true;

    /** The exact iss required; required when validating unless issuer-uri is set. */
    private String issuer;

    /**
     * The IdP's issuer, as Spring Security's resource server takes it: the exact iss required,
     * and, when jwks-uri is not set, where OpenID Connect discovery
     * (<issuer-uri>/.well-known/openid-configuration) finds the signing keys; the document's
     * issuer must equal it exactly.
     */
    private URI issuerUri;

    /**
     * Where the IdP publishes its signing keys; when set it wins over discovery; required when
     * validating unless issuer-uri is set.
     */
    private URI jwksUri;

    /** Accepted aud values; at least one is required when validating. */
    private List<String> audiences = List.of();

    /**
     * The claim naming the user; the session key always holds sub and the issuer too, so another
     * claim can only narrow a key, never widen it.
     */
    private String subjectClaim = "sub";

    /** Tolerance for exp and nbf. */
    @DurationMin(nanos = 0)
    private Duration clockSkew = Duration.ofSeconds(30);

    /**
     * With validate: false, the longest a session obtained for an opaque token is used before the
     * token is exchanged (so judged by Salesforce) again: a revoked or expired token stops working
     * within this time.
     */
    private Duration opaqueTokenLifetime = Duration.ofMinutes(5);

    /** With validate: false, how new opaque tokens are admitted. */
    @Valid
    private final OpaqueAdmission opaqueAdmission = new OpaqueAdmission();

    /** How the IdP's signing keys are fetched again. */
    @Valid
    private final Jwks jwks = new Jwks();

    public boolean isValidate() {
        return this.validate;
    }

    public void setValidate(boolean validate) {
        this.validate = validate;
    }

    public String getIssuer() {
        return this.issuer;
    }

    public void setIssuer(String issuer) {
        this.issuer = issuer;
    }

    public URI getIssuerUri() {
        return this.issuerUri;
    }

    public void setIssuerUri(URI issuerUri) {
        this.issuerUri = issuerUri;
    }

    public URI getJwksUri() {
        return this.jwksUri;
    }

    public void setJwksUri(URI jwksUri) {
        this.jwksUri = jwksUri;
    }

    public List<String> getAudiences() {
        return this.audiences;
    }

    public void setAudiences(List<String> audiences) {
        this.audiences = List.copyOf(audiences);
    }

    public String getSubjectClaim() {
        return this.subjectClaim;
    }

    public void setSubjectClaim(String subjectClaim) {
        this.subjectClaim = subjectClaim;
    }

    public Duration getClockSkew() {
        return this.clockSkew;
    }

    public void setClockSkew(Duration clockSkew) {
        this.clockSkew = clockSkew;
    }

    public Duration getOpaqueTokenLifetime() {
        return this.opaqueTokenLifetime;
    }

    public void setOpaqueTokenLifetime(Duration opaqueTokenLifetime) {
        this.opaqueTokenLifetime = opaqueTokenLifetime;
    }

    public OpaqueAdmission getOpaqueAdmission() {
        return this.opaqueAdmission;
    }

    public Jwks getJwks() {
        return this.jwks;
    }

    /** The {@code iss} required: {@code issuer-uri} when set (start-up refuses a different {@code issuer}), else {@code issuer}. */
    public String requiredIssuer() {
        return issuerUri != null ? issuerUri.toString() : issuer;
    }

    /** How the IdP's signing keys are fetched again ({@code subject.jwks}). */
    public static class Jwks {

        /** The least time between two fetches of the key set caused by an unknown kid or by the set's age. */
        private Duration minRefresh = Duration.ofSeconds(30);

        /** While the IdP fails, fetches back off exponentially from min-refresh up to this. */
        @DurationMin(nanos = 1)
        private Duration maxBackoff = Duration.ofMinutes(5);

        public Duration getMinRefresh() {
            return this.minRefresh;
        }

        public void setMinRefresh(Duration minRefresh) {
            this.minRefresh = minRefresh;
        }

        public Duration getMaxBackoff() {
            return this.maxBackoff;
        }

        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }
    }

    /**
     * Admission of new opaque tokens ({@code subject.validate: false}): each one costs an
     * exchange, so before any is sent to Salesforce it must have a plausible shape, and new
     * ones are rate-limited per client address and per registration. Requests for a token
     * whose session is cached are never limited. Refused requests are answered 429 with
     * {@code Retry-After}.
     */
    public static class OpaqueAdmission {

        /** The shortest token accepted (the longest is 10,000 characters). */
        @Positive
        private int minLength = 16;

        /**
         * A regular expression the whole token must match, when the IdP's token format is known;
         * unset accepts any RFC 6750 b64token.
         */
        private String pattern;

        /** New opaque tokens one client address may present per limit-period. */
        private int perClientLimit = 20;

        /** New opaque tokens all clients together may present per limit-period. */
        private int globalLimit = 200;

        /** The period both limits refill over. */
        @DurationMin(nanos = 1)
        private Duration limitPeriod = Duration.ofSeconds(1);

        /** The most client addresses whose limit is tracked at once (least recently seen go first). */
        @Positive
        private int maxTrackedClients = 10_000;

        public int getMinLength() {
            return this.minLength;
        }

        public void setMinLength(int minLength) {
            this.minLength = minLength;
        }

        public String getPattern() {
            return this.pattern;
        }

        public void setPattern(String pattern) {
            this.pattern = pattern;
        }

        public int getPerClientLimit() {
            return this.perClientLimit;
        }

        public void setPerClientLimit(int perClientLimit) {
            this.perClientLimit = perClientLimit;
        }

        public int getGlobalLimit() {
            return this.globalLimit;
        }

        public void setGlobalLimit(int globalLimit) {
            this.globalLimit = globalLimit;
        }

        public Duration getLimitPeriod() {
            return this.limitPeriod;
        }

        public void setLimitPeriod(Duration limitPeriod) {
            this.limitPeriod = limitPeriod;
        }

        public int getMaxTrackedClients() {
            return this.maxTrackedClients;
        }

        public void setMaxTrackedClients(int maxTrackedClients) {
            this.maxTrackedClients = maxTrackedClients;
        }
    }
}
