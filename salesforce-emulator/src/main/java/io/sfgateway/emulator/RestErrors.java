package io.sfgateway.emulator;

/** Salesforce REST error answers (a one-element JSON array with {@code message} and {@code errorCode}). */
final class RestErrors {

    /** Salesforce's exact 401 body for a missing, unknown, revoked or expired session. */
    static final String INVALID_SESSION_BODY =
            "[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]";

    private RestErrors() {
    }

    static Answer invalidSession() {
        return Answer.json(401, INVALID_SESSION_BODY).withHeader("WWW-Authenticate", "Token");
    }

    /** Salesforce's 403 once the org's daily API allocation is spent. */
    static final String REQUEST_LIMIT_EXCEEDED_BODY =
            "[{\"message\":\"TotalRequests Limit exceeded.\",\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]";

    static Answer requestLimitExceeded() {
        return Answer.json(403, REQUEST_LIMIT_EXCEEDED_BODY);
    }

    /** A user without the {@code API Enabled} permission. */
    static Answer apiDisabled() {
        return Answer.json(403, Json.restError("API_CURRENTLY_DISABLED", "API is disabled for this User"));
    }

    /** A retired API version (the body's wording is the emulator's; Salesforce's status is 410). */
    static Answer gone() {
        return Answer.json(410, Json.restError("GONE", "The requested API version is retired and no longer available"));
    }

    static Answer notFound() {
        return Answer.json(404,
                "[{\"errorCode\":\"NOT_FOUND\",\"message\":\"The requested resource does not exist\"}]");
    }

    static Answer methodNotAllowed(String method, String allowed) {
        return Answer.json(405, Json.restError("METHOD_NOT_ALLOWED",
                "HTTP Method '" + method + "' not allowed. Allowed are " + allowed)).withHeader("Allow", allowed);
    }

    static Answer badRequest(String errorCode, String message) {
        return Answer.json(400, Json.restError(errorCode, message));
    }
}
