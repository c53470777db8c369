package io.sfgateway.tokenexchange;

/**
 * Why the filter refused a request: the closed set of values of the {@code reason} tag of
 * {@code salesforce.token.exchange.refused}. Never request data, so the metric stays bounded.
 */
public enum RefusalReason {
    /** No bearer token, or more than one {@code Authorization} header (401). */
    MISSING_TOKEN("missing_token"),
    /** A token the gateway refused itself: malformed, too long, wrong shape, bad signature or claims (401). */
    INVALID_TOKEN("invalid_token"),
    /** Salesforce refused the subject token, now or a moment ago (401). */
    SUBJECT_REJECTED("subject_rejected"),
    /** Too many new opaque tokens from the client or overall (429). */
    RATE_LIMITED("rate_limited"),
    /** Salesforce or the IdP unavailable, timed out, or the breaker open (503). */
    UNAVAILABLE("unavailable"),
    /** Salesforce refused the gateway, or the gateway refused Salesforce's session (502). */
    BAD_GATEWAY("bad_gateway"),
    /** The org's API usage is above {@code api-usage.shed-above}: the request was shed (429). */
    API_LIMIT_SHED("api_limit_shed"),
    /** A path with a dot segment in any encoding (400). */
    DOT_SEGMENTS("dot_segments"),
    /** A path outside the registration's session paths (404). */
    OUTSIDE_SESSION_PATHS("outside_session_paths");

    private final String tag;

    RefusalReason(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }
}
