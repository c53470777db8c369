package io.sfgateway.tokenexchange.exchange;

/**
 * What a successful token answer said besides the session, for a person checking a registration:
 * never the access token, the refresh token or the signature, only whether a refresh token came.
 *
 * @param scope the granted scopes ({@code scope}), space-separated, or {@code null}
 * @param refreshTokenReturned whether the answer held a {@code refresh_token}
 * @param tokenFormat {@code token_format} ({@code opaque} or {@code jwt}), or {@code null}
 * @param instanceUrl {@code instance_url}, or {@code null}
 * @param site the Experience Cloud site Salesforce named, or {@code null}
 */
public record TokenAnswerFields(String scope, boolean refreshTokenReturned, String tokenFormat, String instanceUrl,
        Site site) {

    /**
     * An Experience Cloud site URL and the field it came in: {@code sfdc_site_url} (current Help
     * pages) or {@code sfdc_community_url} (older answers).
     */
    public record Site(String field, String url) {
    }

    /** Where REST calls for the session go: the site when Salesforce named one, else {@code instance_url}. */
    public String restUrl() {
        return site != null ? site.url() : instanceUrl;
    }

    /** The field {@link #restUrl()} came from. */
    public String restUrlField() {
        return site != null ? site.field() : "instance_url";
    }
}
