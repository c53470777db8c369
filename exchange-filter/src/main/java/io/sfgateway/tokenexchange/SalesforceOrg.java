package io.sfgateway.tokenexchange;

import java.net.URI;
import java.util.Objects;

/**
 * Where a session's REST calls go and the org they reach: the same for every session of one org,
 * so the exchanger keeps one instance of each and all its sessions share it.
 *
 * @param instanceUrl where REST calls go; already checked against the registration's allowlist
 * @param orgId the org id from the {@code id} URL, or {@code null} when Salesforce sent none
 */
public record SalesforceOrg(URI instanceUrl, String orgId) {

    public SalesforceOrg {
        Objects.requireNonNull(instanceUrl, "instanceUrl");
    }
}
