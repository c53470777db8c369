package io.sfgateway.tokenexchange.exchange;

/**
 * Why an exchange produced no usable session. The kinds are a closed set that the filter maps
 * to what the caller sees (contract §4); {@link #detail()} is for the log only and never holds
 * a token or a secret.
 *
 * <p>Stack traces are not captured: these are expected outcomes, not bugs, and they are thrown
 * on the request path.
 */
public final class ExchangeFailure extends RuntimeException {

    /** The closed set of failures. */
    public enum Kind {
        /** Salesforce refused the caller's subject token ({@code invalid_grant}): 401. */
        SUBJECT_REJECTED,
        /** Salesforce refused the gateway itself (client, secret, handler, request): 502. */
        GATEWAY_REJECTED,
        /** The token endpoint answered 5xx, could not be reached, or the bulkhead is full: 503. */
        UNAVAILABLE,
        /** The token endpoint did not answer within the exchange timeout: 503. */
        TIMEOUT,
        /** The registration's circuit breaker is open; Salesforce was not called: 503. */
        CIRCUIT_OPEN,
        /** Salesforce answered, but the gateway refuses what it sent (allowlist, signature, shape): 502. */
        SESSION_UNACCEPTABLE,
        /** Too many new opaque tokens from the client or overall; Salesforce was not called: 429. */
        RATE_LIMITED
    }

    private static final int MAX_DETAIL = 300;

    private final Kind kind;
    private final long retryAfterSeconds;

    public ExchangeFailure(Kind kind, String detail) {
        this(kind, detail, 0);
    }

    /** @param retryAfterSeconds a hint for the caller's {@code Retry-After}; 0 when there is none */
    public ExchangeFailure(Kind kind, String detail, long retryAfterSeconds) {
        super(sanitize(detail), null, false, false);
        this.kind = kind;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Kind kind() {
        return kind;
    }

    /** Seconds after which a retry may succeed, or 0 when unknown. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** A short, log-safe description (Salesforce's error code and description, or the cause). */
    public String detail() {
        return getMessage();
    }

    /** Whether this failure says the token endpoint is unhealthy (what a circuit breaker counts). */
    public boolean isAvailabilityFailure() {
        return kind == Kind.UNAVAILABLE || kind == Kind.TIMEOUT;
    }

    /** Strips control characters (log injection) and bounds the length of text from outside. */
    static String sanitize(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder clean = new StringBuilder(Math.min(text.length(), MAX_DETAIL));
        for (int i = 0; i < text.length() && clean.length() < MAX_DETAIL; i++) {
            char c = text.charAt(i);
            clean.append(Character.isISOControl(c) ? ' ' : c);
        }
        return clean.toString();
    }
}
