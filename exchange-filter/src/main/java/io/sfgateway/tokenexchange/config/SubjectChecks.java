package io.sfgateway.tokenexchange.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The start-up checks of a registration's {@code subject.*} keys that depend on more than one
 * value (what is required when validating, the opaque admission when not); each failure is an
 * {@link InvalidConfigurationException} naming the full key.
 */
final class SubjectChecks {

    private SubjectChecks() {
    }

    static void validate(String key, SubjectProperties subject) {
        if (!subject.isValidate()) {
            validateOpaque(key, subject);
            return;
        }
        if (subject.getIssuerUri() != null) {
            validateIssuerUri(key, subject);
        } else if (subject.getJwksUri() == null) {
            throw new InvalidConfigurationException(key + "jwks-uri", "is required when subject.validate is true "
                    + "(or set " + key + "issuer-uri alone: OIDC discovery then finds the keys)");
        }
        URI jwksUri = subject.getJwksUri();
        if (jwksUri != null && (!jwksUri.isAbsolute() || jwksUri.getHost() == null)) {
            throw new InvalidConfigurationException(key + "jwks-uri", "must be an absolute URL");
        }
        if (subject.getIssuerUri() == null && (subject.getIssuer() == null || subject.getIssuer().isBlank())) {
            throw new InvalidConfigurationException(key + "issuer",
                    "is required when subject.validate is true (without it any issuer the keys sign for is accepted)");
        }
        List<String> audiences = subject.getAudiences();
        if (audiences.isEmpty() || audiences.stream().anyMatch(a -> a == null || a.isBlank())) {
            throw new InvalidConfigurationException(key + "audiences",
                    "at least one non-blank audience is required when subject.validate is true (without one any audience is accepted)");
        }
        if (subject.getSubjectClaim() == null || subject.getSubjectClaim().isBlank()) {
            throw new InvalidConfigurationException(key + "subject-claim", "must not be blank");
        }
        if (subject.getClockSkew().isNegative()) {
            throw new InvalidConfigurationException(key + "clock-skew", "must not be negative");
        }
        positive(key + "jwks.min-refresh", subject.getJwks().getMinRefresh());
        positive(key + "jwks.max-backoff", subject.getJwks().getMaxBackoff());
    }

    /** As Spring Security: {@code issuer-uri} is the issuer; {@code issuer}, when also set, must say the same. */
    private static void validateIssuerUri(String key, SubjectProperties subject) {
        URI issuerUri = subject.getIssuerUri();
        String scheme = issuerUri.getScheme() == null ? "" : issuerUri.getScheme().toLowerCase(Locale.ROOT);
        if (!issuerUri.isAbsolute() || issuerUri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))
                || issuerUri.getRawQuery() != null || issuerUri.getRawFragment() != null) {
            throw new InvalidConfigurationException(key + "issuer-uri",
                    "must be an absolute https URL without query or fragment (the IdP's issuer, exactly as in its tokens' iss)");
        }
        String issuer = subject.getIssuer();
        if (issuer != null && !issuer.isBlank() && !issuer.equals(issuerUri.toString())) {
            throw new InvalidConfigurationException(key + "issuer", "differs from " + key + "issuer-uri: issuer-uri is the "
                    + "issuer tokens must name; remove issuer, or set it to the same value");
        }
    }

    private static void validateOpaque(String key, SubjectProperties subject) {
        positive(key + "opaque-token-lifetime", subject.getOpaqueTokenLifetime());
        SubjectProperties.OpaqueAdmission admission = subject.getOpaqueAdmission();
        String admissionKey = key + "opaque-admission.";
        if (admission.getMinLength() < 1) {
            throw new InvalidConfigurationException(admissionKey + "min-length", "must be at least 1");
        }
        if (admission.getPerClientLimit() < 1) {
            throw new InvalidConfigurationException(admissionKey + "per-client-limit", "must be at least 1");
        }
        if (admission.getGlobalLimit() < 1) {
            throw new InvalidConfigurationException(admissionKey + "global-limit", "must be at least 1");
        }
        if (admission.getMaxTrackedClients() < 1) {
            throw new InvalidConfigurationException(admissionKey + "max-tracked-clients", "must be at least 1");
        }
        positive(admissionKey + "limit-period", admission.getLimitPeriod());
        opaqueTokenPattern(key, admission);
    }

    /** The opaque token pattern, compiled; {@code null} when none is configured. */
    static Pattern opaqueTokenPattern(String subjectKey, SubjectProperties.OpaqueAdmission admission) {
        if (admission.getPattern() == null || admission.getPattern().isEmpty()) {
            return null;
        }
        try {
            return Pattern.compile(admission.getPattern());
        } catch (PatternSyntaxException e) {
            throw new InvalidConfigurationException(subjectKey + "opaque-admission.pattern",
                    "is not a valid regular expression: " + e.getDescription());
        }
    }

    private static void positive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new InvalidConfigurationException(key, "must be positive");
        }
    }
}
