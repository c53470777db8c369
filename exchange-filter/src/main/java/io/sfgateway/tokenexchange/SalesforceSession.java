package io.sfgateway.tokenexchange;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * A Salesforce session obtained by one token exchange. Immutable.
 *
 * <p>{@link #toString()} never shows the access token, so a session may be logged or put in an
 * exception message safely. The gateway never keeps a refresh or id token (docs/REAL-ORGS.md).
 *
 * @param accessToken the Salesforce access token (a session id): never log it
 * @param grant the org and granted scopes, shared by the sessions of one org
 * @param userId the user id from the {@code id} URL, or {@code null}
 * @param issuedAtMillis Salesforce's {@code issued_at}, or the local receipt time when absent
 * @param expiresAtMillis when a JWT-format access token ({@code token_format: jwt}) expires,
 *     from its {@code exp}, on Salesforce's clock like {@link #issuedAtMillis}; 0 for a session
 *     id, which lives for the org's session timeout
 */
public record SalesforceSession(
        String accessToken,
        SessionGrant grant,
        String userId,
        long issuedAtMillis,
        long expiresAtMillis) {

    public SalesforceSession {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(grant, "grant");
    }

    /** A session id (no fixed expiry). */
    public SalesforceSession(String accessToken, SessionGrant grant, String userId, long issuedAtMillis) {
        this(accessToken, grant, userId, issuedAtMillis, 0);
    }

    /** The org the session belongs to. */
    public SalesforceOrg org() {
        return grant.org();
    }

    /** Where REST calls for this session go; already checked against the registration's allowlist. */
    public URI instanceUrl() {
        return grant.org().instanceUrl();
    }

    /** The org id from the {@code id} URL, or {@code null} when Salesforce sent none. */
    public String orgId() {
        return grant.org().orgId();
    }

    /** The granted scopes, space-separated, or {@code null}. */
    public String scope() {
        return grant.scope();
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
        return "SalesforceSession[instanceUrl=" + instanceUrl() + ", orgId=" + orgId() + ", userId=" + userId
                + ", issuedAt=" + issuedAtMillis + ", scope=" + scope()
                + (expiresAtMillis > 0 ? ", expiresAt=" + expiresAtMillis : "") + "]";
    }
}
