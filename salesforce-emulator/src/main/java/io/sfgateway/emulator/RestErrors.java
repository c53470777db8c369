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
