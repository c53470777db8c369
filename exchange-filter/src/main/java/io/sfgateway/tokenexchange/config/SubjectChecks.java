package io.sfgateway.tokenexchange.config;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The start-up checks of a registration's {@code subject.*} keys that depend on more than one
 * value (what is required when validating, the opaque admission when not); each failure is an
 * {@link InvalidConfigurationException} naming the full key.
 */
final class SubjectChecks {

    static final Duration DEFAULT_JWKS_MIN_REFRESH = Duration.ofSeconds(30);

    private SubjectChecks() {
    }

    static void validate(String key, SubjectProperties subject) {
        if (!subject.validate()) {
            validateOpaque(key, subject);
            return;
        }
        if (subject.issuerUri() != null) {
            validateIssuerUri(key, subject);
        } else if (subject.jwksUri() == null) {
            throw new InvalidConfigurationException(key + "jwks-uri", "is required when subject.validate is true "
                    + "(or set " + key + "issuer-uri alone: OIDC discovery then finds the keys)");
        }
        if (subject.jwksUri() != null && (!subject.jwksUri().isAbsolute() || subject.jwksUri().getHost() == null)) {
            throw new InvalidConfigurationException(key + "jwks-uri", "must be an absolute URL");
        }
        if (subject.issuerUri() == null && (subject.issuer() == null || subject.issuer().isBlank())) {
            throw new InvalidConfigurationException(key + "issuer",
                    "is required when subject.validate is true (without it any issuer the keys sign for is accepted)");
        }
        if (subject.audiences().isEmpty() || subject.audiences().stream().anyMatch(a -> a == null || a.isBlank())) {
            throw new InvalidConfigurationException(key + "audiences",
                    "at least one non-blank audience is required when subject.validate is true (without one any audience is accepted)");
        }
        if (subject.subjectClaim() == null || subject.subjectClaim().isBlank()) {
            throw new InvalidConfigurationException(key + "subject-claim", "must not be blank");
        }
        if (subject.clockSkew().isNegative()) {
            throw new InvalidConfigurationException(key + "clock-skew", "must not be negative");
        }
        positive(key + "jwks.min-refresh", jwksMinRefresh(subject));
        positive(key + "jwks.max-backoff", subject.jwks().maxBackoff());
    }

    /** As Spring Security: {@code issuer-uri} is the issuer; {@code issuer}, when also set, must say the same. */
    private static void validateIssuerUri(String key, SubjectProperties subject) {
        URI issuerUri = subject.issuerUri();
        String scheme = issuerUri.getScheme() == null ? "" : issuerUri.getScheme().toLowerCase(Locale.ROOT);
        if (!issuerUri.isAbsolute() || issuerUri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))
                || issuerUri.getRawQuery() != null || issuerUri.getRawFragment() != null) {
            throw new InvalidConfigurationException(key + "issuer-uri",
                    "must be an absolute https URL without query or fragment (the IdP's issuer, exactly as in its tokens' iss)");
        }
        String issuer = subject.issuer();
        if (issuer != null && !issuer.isBlank() && !issuer.equals(issuerUri.toString())) {
            throw new InvalidConfigurationException(key + "issuer", "differs from " + key + "issuer-uri: issuer-uri is the "
                    + "issuer tokens must name; remove issuer, or set it to the same value");
        }
    }

    private static void validateOpaque(String key, SubjectProperties subject) {
        positive(key + "opaque-token-lifetime", subject.opaqueTokenLifetime());
        SubjectProperties.OpaqueAdmission admission = subject.opaqueAdmission();
        String admissionKey = key + "opaque-admission.";
        if (admission.minLength() < 1) {
            throw new InvalidConfigurationException(admissionKey + "min-length", "must be at least 1");
        }
        if (admission.perClientLimit() < 1) {
            throw new InvalidConfigurationException(admissionKey + "per-client-limit", "must be at least 1");
        }
        if (admission.globalLimit() < 1) {
            throw new InvalidConfigurationException(admissionKey + "global-limit", "must be at least 1");
        }
        if (admission.maxTrackedClients() < 1) {
            throw new InvalidConfigurationException(admissionKey + "max-tracked-clients", "must be at least 1");
        }
        positive(admissionKey + "limit-period", admission.limitPeriod());
        opaqueTokenPattern(key, admission);
    }

    /** The opaque token pattern, compiled; {@code null} when none is configured. */
    static Pattern opaqueTokenPattern(String subjectKey, SubjectProperties.OpaqueAdmission admission) {
        if (admission.pattern() == null || admission.pattern().isEmpty()) {
            return null;
        }
        try {
            return Pattern.compile(admission.pattern());
        } catch (PatternSyntaxException e) {
            throw new InvalidConfigurationException(subjectKey + "opaque-admission.pattern",
                    "is not a valid regular expression: " + e.getDescription());
        }
    }

    /** {@code jwks.min-refresh}, else the deprecated {@code jwks-refetch-interval}, else 30 s. */
    @SuppressWarnings("deprecation")
    static Duration jwksMinRefresh(SubjectProperties subject) {
        if (subject.jwks().minRefresh() != null) {
            return subject.jwks().minRefresh();
        }
        return subject.jwksRefetchInterval() != null ? subject.jwksRefetchInterval() : DEFAULT_JWKS_MIN_REFRESH;
    }

    private static void positive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new InvalidConfigurationException(key, "must be positive");
        }
    }
}
