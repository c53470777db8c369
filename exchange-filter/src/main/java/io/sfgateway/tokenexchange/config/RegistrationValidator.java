package io.sfgateway.tokenexchange.config;

import io.sfgateway.tokenexchange.exchange.ExchangeSettings;
import io.sfgateway.tokenexchange.exchange.TokenClient;
import io.sfgateway.tokenexchange.exchange.TokenRequest;
import io.sfgateway.tokenexchange.exchange.InstanceUrlAllowlist;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Checks a registration's configuration and turns it into {@link ExchangeSettings}. Every
 * problem is an {@link InvalidConfigurationException} naming the full key.
 */
final class RegistrationValidator {

    private static final String PREFIX = "salesforce.token-exchange.";
    private static final String TOKEN_PATH = "/services/oauth2/token";

    private RegistrationValidator() {
    }

    static void validateGlobal(TokenExchangeProperties properties) {
        if (properties.getCache().maximumSize() <= 0) {
            throw new InvalidConfigurationException(PREFIX + "cache.maximum-size", "must be positive");
        }
        double refreshAhead = properties.getCache().refreshAhead();
        if (!(refreshAhead > 0 && refreshAhead <= 1)) {
            throw new InvalidConfigurationException(PREFIX + "cache.refresh-ahead", "must be in (0, 1]");
        }
        if (properties.getExchange().timeout().isNegative() || properties.getExchange().timeout().isZero()) {
            throw new InvalidConfigurationException(PREFIX + "exchange.timeout", "must be positive");
        }
        if (properties.getExchange().maxConcurrent() <= 0) {
            throw new InvalidConfigurationException(PREFIX + "exchange.max-concurrent", "must be positive");
        }
        if (properties.getExchange().maxConnections() <= 0) {
            throw new InvalidConfigurationException(PREFIX + "exchange.max-connections", "must be positive");
        }
    }

    static ExchangeSettings settings(String name, RegistrationProperties registration) {
        return settings(name, registration, List.of());
    }

    /** @param plainHttpHosts hosts besides loopback that may be reached over plain http ({@code plain-http-hosts}) */
    static ExchangeSettings settings(String name, RegistrationProperties registration, List<String> plainHttpHosts) {
        String key = PREFIX + "registrations." + name + ".";
        if (registration.getLoginUrl() == null) {
            throw new InvalidConfigurationException(key + "login-url", "is required");
        }
        URI loginUrl = registration.getLoginUrl();
        if (!loginUrl.isAbsolute() || loginUrl.getHost() == null
                || !List.of("https", "http").contains(loginUrl.getScheme().toLowerCase(Locale.ROOT))) {
            throw new InvalidConfigurationException(key + "login-url", "must be an absolute https URL");
        }
        SalesforceUrls.requireSecure(key + "login-url", loginUrl, plainHttpHosts);
        SalesforceUrls.requireTokenExchangeHost(key + "login-url", loginUrl);
        if (registration.getClientId() == null || registration.getClientId().isBlank()) {
            throw new InvalidConfigurationException(key + "client-id", "is required");
        }
        if (registration.getSessionTimeout() == null || registration.getSessionTimeout().toSeconds() < 1) {
            throw new InvalidConfigurationException(key + "session-timeout", "must be at least 1s");
        }
        for (String scope : registration.getScopes()) {
            if (scope == null || scope.isBlank() || scope.chars().anyMatch(Character::isWhitespace)) {
                throw new InvalidConfigurationException(key + "scopes", "a scope is blank or contains whitespace");
            }
        }
        SubjectProperties subject = registration.getSubject();
        SubjectChecks.validate(key + "subject.", subject);
        if (subject.isValidate() && subject.getJwksUri() != null) {
            SalesforceUrls.requireSecure(key + "subject.jwks-uri", subject.getJwksUri(), plainHttpHosts);
        }
        if (subject.isValidate() && subject.getIssuerUri() != null) {
            SalesforceUrls.requireSecure(key + "subject.issuer-uri", subject.getIssuerUri(), plainHttpHosts);
        }
        for (String pattern : registration.getInstanceUrlAllowlist()) {
            SalesforceUrls.requireSecureAllowlistEntry(key + "instance-url-allowlist", pattern, plainHttpHosts);
        }
        SalesforceUrls.warnAboutRefreshTokenScope(key + "scopes", registration.getScopes());
        String base = loginUrl.toString().replaceAll("/+$", "");
        InstanceUrlAllowlist allowlist = allowlist(name, registration);
        SalesforceUrls.warnWhenRestIsOutsideTheAllowlist(key + "instance-url-allowlist", URI.create(base), allowlist);
        String secret = registration.getClientSecret();
        TokenClient client = new TokenClient(URI.create(base + TOKEN_PATH), registration.getClientId().strip(),
                secret == null || secret.isEmpty() ? null : secret);
        TokenRequest request = new TokenRequest(
                grantType(key + "grant-type", registration.getGrantType()),
                tokenType(key + "subject-token-type", registration.getSubjectTokenType()),
                registration.getScopes().isEmpty() ? null : String.join(" ", registration.getScopes()),
                registration.getTokenHandler() == null || registration.getTokenHandler().isBlank() ? null
                        : registration.getTokenHandler().strip());
        return new ExchangeSettings(name, client, request, allowlist);
    }

    /** The login URL's origin and, for an Experience Cloud site, the site URL itself (its prefix). */
    /** The registration's instance allowlist: as configured, else the login URL's origin (and site path). */
    static InstanceUrlAllowlist allowlist(String name, RegistrationProperties registration) {
        URI loginUrl = registration.getLoginUrl();
        String base = loginUrl.toString().replaceAll("/+$", "");
        try {
            return InstanceUrlAllowlist.of(registration.getInstanceUrlAllowlist().isEmpty()
                    ? defaultAllowlist(loginUrl, base)
                    : registration.getInstanceUrlAllowlist());
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(PREFIX + "registrations." + name + ".instance-url-allowlist", e.getMessage());
        }
    }

    private static List<String> defaultAllowlist(URI loginUrl, String base) {
        String origin = loginUrl.getScheme() + "://" + loginUrl.getRawAuthority();
        return base.length() > origin.length() ? List.of(origin, base) : List.of(origin);
    }

    private static String grantType(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidConfigurationException(key, "must not be blank");
        }
        return switch (value.strip()) {
            case "token-exchange" -> ExchangeSettings.TOKEN_EXCHANGE;
            case "hybrid-token-exchange" -> ExchangeSettings.HYBRID_TOKEN_EXCHANGE;
            default -> {
                if (value.startsWith("urn:")) {
                    yield value.strip();
                }
                throw new InvalidConfigurationException(key, "must be token-exchange, hybrid-token-exchange or a full URN");
            }
        };
    }

    private static String tokenType(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidConfigurationException(key, "must not be blank");
        }
        String type = value.strip();
        return switch (type) {
            case "access_token", "refresh_token", "id_token", "saml2" -> ExchangeSettings.TOKEN_TYPE_PREFIX + type;
            // Salesforce's spelling (Apex Auth.OAuth2TokenExchangeType.JWT), not RFC 8693's lower-case "jwt".
            case "jwt" -> ExchangeSettings.TOKEN_TYPE_JWT;
            default -> {
                if (type.startsWith("urn:")) {
                    yield type;
                }
                throw new InvalidConfigurationException(key,
                        "must be access_token, refresh_token, id_token, saml2, jwt or a full URN");
            }
        };
    }

    /** The replay budget and the renewal interval (global keys). */
    static void validateForwardingGlobal(TokenExchangeProperties properties) {
        long budget = properties.getReplayBudget().toBytes();
        if (budget < 0 || budget > Integer.MAX_VALUE) {
            throw new InvalidConfigurationException(PREFIX + "replay-budget", "must be between 0 and 2GB");
        }
        if (properties.getMinRenewalInterval().isNegative()) {
            throw new InvalidConfigurationException(PREFIX + "min-renewal-interval", "must not be negative");
        }
    }

    /**
     * A registration's session paths: each begins and ends with {@code /}, holds no dot segment,
     * and is neither {@code /} nor under {@code /services/oauth2/} or {@code /secur/}, where a
     * session must never go.
     */
    static void validateForwarding(String name, RegistrationProperties registration) {
        String key = PREFIX + "registrations." + name + ".session-paths";
        if (registration.getSessionPaths().isEmpty()) {
            throw new InvalidConfigurationException(key, "must name at least one path prefix");
        }
        for (String path : registration.getSessionPaths()) {
            if (path == null || path.length() < 2 || !path.startsWith("/") || !path.endsWith("/")
                    || io.sfgateway.tokenexchange.routing.SessionPaths.hasDotSegments(path)) {
                throw new InvalidConfigurationException(key, "each entry must be a path like /services/data/ "
                        + "(beginning and ending with '/', no dot segments)");
            }
            String lower = path.toLowerCase(Locale.ROOT);
            if (lower.startsWith("/services/oauth2/") || lower.startsWith("/secur/")) {
                throw new InvalidConfigurationException(key, "a session is never sent to /services/oauth2/ or /secur/");
            }
        }
    }
}
