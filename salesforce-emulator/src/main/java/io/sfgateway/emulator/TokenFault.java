package io.sfgateway.emulator;

/**
 * A fault the token endpoint injects into its answers, set with {@link EmulatorControls#tokenFault(TokenFault)}.
 * Error faults answer whatever the request; {@link #INSTANCE_URL_OUTSIDE} and {@link #WRONG_SIGNATURE} only
 * alter a response that would otherwise have been a success.
 */
public enum TokenFault {
    /** No fault: the endpoint behaves like Salesforce. */
    NONE,
    /**
     * 400 {@code invalid_grant} "invalid subject token", whatever the request. (A real org's handler refusal is
     * {@code invalid_request} "token handler validation failed", which the emulator answers for a token its handler
     * refuses; see {@link OrgPolicies}.)
     */
    INVALID_GRANT,
    /** 400 {@code invalid_client}, as if the client credentials were wrong. */
    INVALID_CLIENT,
    /**
     * 400 {@code unknown_error} "retry your request": Salesforce's intermittent, explicitly retryable answer (seen by
     * Salesforce's own drivers), whatever the request.
     */
    UNKNOWN_ERROR,
    /** 500 {@code server_error}. */
    SERVER_ERROR,
    /** 503 {@code temporarily_unavailable}. */
    UNAVAILABLE,
    /** The endpoint never answers. */
    HANG,
    /** 200 with a {@code text/html} body, as a captive portal or a maintenance page would. */
    NON_JSON,
    /** A success whose {@code instance_url} is {@code https://evil.example.com}. */
    INSTANCE_URL_OUTSIDE,
    /** A success whose {@code signature} does not match {@code id + issued_at}. */
    WRONG_SIGNATURE
}
