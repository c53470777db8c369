package io.sfgateway.tokenexchange;

import java.net.URI;
import java.util.Objects;

/**
 * What a session is good for: its org and the scopes granted. The same for every session of one
 * registration's org, so the exchanger keeps one instance of each and all its sessions share it
 * (a session then costs no more heap for it than one reference).
 *
 * @param org where the session's REST calls go
 * @param scope the granted scopes, space-separated, or {@code null}
 */
public record SessionGrant(SalesforceOrg org, String scope) {

    public SessionGrant {
        Objects.requireNonNull(org, "org");
    }

    /** The grant of {@code scope} on the org at {@code instanceUrl}. */
    public static SessionGrant of(URI instanceUrl, String orgId, String scope) {
        return new SessionGrant(new SalesforceOrg(instanceUrl, orgId), scope);
    }
}
