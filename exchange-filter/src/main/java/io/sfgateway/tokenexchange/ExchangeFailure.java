package io.sfgateway.tokenexchange;

/**
 * Why an exchange produced no usable session. The kinds are a closed set that the filter maps
 * to what the caller sees (see the README's caller table); {@link #detail()} is for the log only and never holds
 * a token or a secret.
 *
 * <p>Stack traces are not captured: these are expected outcomes, not bugs, and they are thrown
 * on the request path.
 */
public final class ExchangeFailure extends RuntimeException {

    /** The closed set of failures. */
    public enum Kind {
        /**
         * Salesforce refused the caller's subject token or user ({@code invalid_grant}, a handler's
         * {@code invalid_request}, {@code inactive_user}…): 401. See {@link #subjectRefusal()}.
         */
        SUBJECT_REJECTED,
        /** Salesforce refused the gateway itself (client, secret, handler, request): 502. */
        GATEWAY_REJECTED,
        /**
         * The token endpoint answered 5xx or throttled logins (429, {@code rate_limit_exceeded},
         * {@code temporarily_unavailable}), could not be reached, or the bulkhead is full: 503.
         */
        UNAVAILABLE,
        /** The token endpoint did not answer within the exchange timeout: 503. */
        TIMEOUT,
        /** The registration's circuit breaker is open; Salesforce was not called: 503. */
        CIRCUIT_OPEN,
        /** Salesforce answered, but the gateway refuses what it sent (allowlist, signature, shape): 502. */
        SESSION_UNACCEPTABLE,
        /** Too many new opaque tokens from the client or overall; Salesforce was not called: 429. */
        RATE_LIMITED,
        /**
         * The org's API usage is above the registration's {@code api-usage.shed-above}; Salesforce was
         * not called: 429.
         */
        API_LIMIT
    }

    /**
     * Why Salesforce refused a subject token, when its answer says more than "invalid": each has
     * its own metric outcome, so a burst caused by an org's configuration is visible.
     */
    public enum SubjectRefusal {
        /** The Apex token exchange handler refused the token ({@code invalid_request}, "token handler validation failed"). */
        HANDLER_REJECTED,
        /** The user is not approved for the app ({@code invalid_grant}, "user hasn't approved this consumer"). */
        NOT_APPROVED
    }

    /**
     * What Salesforce said about the login itself, beyond the kind, when it changes what the
     * gateway does with the failure.
     */
    public enum LoginCondition {
        /**
         * The user's own login limit is spent ({@code rate_limit_exceeded}: 3,600 logins per user
         * per hour): {@link Kind#UNAVAILABLE}, 503 with a {@code Retry-After} to the end of the
         * hour, remembered for that subject, and never counted by the registration's circuit
         * breaker, as other users are not throttled.
         */
        USER_THROTTLED,
        /**
         * {@code invalid_grant} "ip restricted or invalid login hours": the gateway's egress
         * address is outside the user's profile's Login IP Ranges (or the user is outside its
         * login hours). {@link Kind#GATEWAY_REJECTED}, 502: no new token of the caller's would
         * help, so it is not answered as a bad token; outcome {@code ip_restricted}.
         */
        IP_RESTRICTED
    }

    private static final int MAX_DETAIL = 300;

    private final Kind kind;
    private final long retryAfterSeconds;
    private final SubjectRefusal subjectRefusal;
    private final LoginCondition loginCondition;

    public ExchangeFailure(Kind kind, String detail) {
        this(kind, detail, 0);
    }

    /** @param retryAfterSeconds a hint for the caller's {@code Retry-After}; 0 when there is none */
    public ExchangeFailure(Kind kind, String detail, long retryAfterSeconds) {
        this(kind, detail, retryAfterSeconds, null);
    }

    /** A {@link Kind#SUBJECT_REJECTED} failure whose cause Salesforce named. */
    public ExchangeFailure(SubjectRefusal refusal, String detail) {
        this(Kind.SUBJECT_REJECTED, detail, 0, refusal);
    }

    /** A failure whose login condition Salesforce named; its kind follows from the condition. */
    public ExchangeFailure(LoginCondition condition, String detail, long retryAfterSeconds) {
        this(condition == LoginCondition.USER_THROTTLED ? Kind.UNAVAILABLE : Kind.GATEWAY_REJECTED, detail,
                retryAfterSeconds, null, condition);
    }

    private ExchangeFailure(Kind kind, String detail, long retryAfterSeconds, SubjectRefusal subjectRefusal) {
        this(kind, detail, retryAfterSeconds, subjectRefusal, null);
    }

    private ExchangeFailure(Kind kind, String detail, long retryAfterSeconds, SubjectRefusal subjectRefusal,
            LoginCondition loginCondition) {
        super(sanitize(detail), null, false, false);
        this.kind = kind;
        this.retryAfterSeconds = retryAfterSeconds;
        this.subjectRefusal = subjectRefusal;
        this.loginCondition = loginCondition;
    }

    /** The same failure with another {@code Retry-After} (a remembered one, as time passes). */
    public ExchangeFailure withRetryAfter(long seconds) {
        return new ExchangeFailure(kind, getMessage(), seconds, subjectRefusal, loginCondition);
    }

    /** The login condition Salesforce named, or {@code null}. */
    public LoginCondition loginCondition() {
        return loginCondition;
    }

    public Kind kind() {
        return kind;
    }

    /** The named cause of a {@link Kind#SUBJECT_REJECTED} failure, or {@code null} for a plain refusal. */
    public SubjectRefusal subjectRefusal() {
        return subjectRefusal;
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
        return kind == Kind.UNAVAILABLE && loginCondition != LoginCondition.USER_THROTTLED || kind == Kind.TIMEOUT;
    }

    /** Strips control characters (log injection) and bounds the length of text from outside. */
    public static String sanitize(String text) {
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

    /**
     * The outcome an exchange is counted and traced with: {@code success} for {@code null}, else
     * what the failure says (the {@code outcome} tag of {@code salesforce.token.exchange}).
     */
    public static String outcome(ExchangeFailure failure) {
        if (failure == null) {
            return "success";
        }
        return switch (failure.kind()) {
            case SUBJECT_REJECTED -> failure.subjectRefusal() == null ? "rejected" : switch (failure.subjectRefusal()) {
                case HANDLER_REJECTED -> "handler_rejected";
                case NOT_APPROVED -> "not_approved";
            };
            case GATEWAY_REJECTED -> failure.loginCondition() == LoginCondition.IP_RESTRICTED ? "ip_restricted" : "rejected";
            case TIMEOUT -> "timeout";
            case CIRCUIT_OPEN -> "circuit_open";
            // RATE_LIMITED and API_LIMIT never reach an exchange
            case UNAVAILABLE, SESSION_UNACCEPTABLE, RATE_LIMITED, API_LIMIT -> "error";
        };
    }
}
