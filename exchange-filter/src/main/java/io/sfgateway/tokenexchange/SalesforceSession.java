package io.sfgateway.tokenexchange;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * A Salesforce session obtained by one token exchange. Immutable.
 *
 * <p>{@link #toString()} never shows the access, refresh or id token, so a session may be
 * logged or put in an exception message safely.
 *
 * @param accessToken the Salesforce access token (a session id): never log it
 * @param instanceUrl where REST calls for this session go; already checked against the
 *     registration's allowlist
 * @param orgId the org id from the {@code id} URL, or {@code null} when Salesforce sent none
 * @param userId the user id from the {@code id} URL, or {@code null}
 * @param issuedAtMillis Salesforce's {@code issued_at}, or the local receipt time when absent
 * @param scope the granted scopes, space-separated, or {@code null}
 * @param refreshToken always {@code null} for a session from the token endpoint: the gateway
 *     never keeps a refresh token (kept in the record for source compatibility)
 * @param idToken always {@code null} for a session from the token endpoint, likewise
 * @param expiresAtMillis when a JWT-format access token ({@code token_format: jwt}) expires,
 *     from its {@code exp}, on Salesforce's clock like {@link #issuedAtMillis}; 0 for a session
 *     id, which lives for the org's session timeout
 */
public record SalesforceSession(
        String accessToken,
        URI instanceUrl,
        String orgId,
        String userId,
        long issuedAtMillis,
        String scope,
        String refreshToken,
        String idToken,
        long expiresAtMillis) {

    public SalesforceSession {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(instanceUrl, "instanceUrl");
    }

    /** A session id (no fixed expiry). */
    public SalesforceSession(String accessToken, URI instanceUrl, String orgId, String userId, long issuedAtMillis,
            String scope, String refreshToken, String idToken) {
        this(accessToken, instanceUrl, orgId, userId, issuedAtMillis, scope, refreshToken, idToken, 0);
    }

    /**
     * How long a JWT-format token lives from its issue ({@code exp} less {@code issued_at}), or
     * {@code null} for a session id.
     */
    public Duration fixedLifetime() {
        return expiresAtMillis <= 0 ? null : Duration.ofMillis(Math.max(0, expiresAtMillis - issuedAtMillis));
    }

    @Override
    public String toString() {
        return "SalesforceSession[instanceUrl=" + instanceUrl + ", orgId=" + orgId + ", userId=" + userId
                + ", issuedAt=" + issuedAtMillis + ", scope=" + scope
                + (expiresAtMillis > 0 ? ", expiresAt=" + expiresAtMillis : "") + "]";
    }
}
