package io.sfgateway.tokenexchange;


/**
 * The caller's token was missing or is not acceptable; Salesforce is not called. The message
 * is a log-safe reason and never holds the token: whatever part of it came from the request is
 * escaped and capped ({@link LogSafe}) here, whoever wrote the detail.
 */
public final class InvalidSubjectException extends RuntimeException {

    /** How the caller is told (RFC 6750). */
    public enum Reason {
        /** No bearer token, or more than one {@code Authorization} header: plain {@code Bearer} challenge. */
        MISSING,
        /** A token was presented but is not acceptable: {@code error="invalid_token"}. */
        INVALID
    }

    private final Reason reason;

    public InvalidSubjectException(Reason reason, String detail) {
        super(LogSafe.text(detail), null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
