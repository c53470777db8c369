package io.sfgateway.tokenexchange.exchange;

import io.sfgateway.tokenexchange.ExchangeFailure;
import io.sfgateway.tokenexchange.ExchangeFailure.Kind;
import io.sfgateway.tokenexchange.ExchangeFailure.LoginCondition;
import io.sfgateway.tokenexchange.ExchangeFailure.SubjectRefusal;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sorts the token endpoint's 4xx OAuth errors into whose fault they are, the way a real org
 * answers (docs/REAL-ORGS.md):
 * <ul>
 *   <li>the caller's: {@code invalid_grant}, {@code invalid_token}, {@code invalid_app_access},
 *       {@code inactive_user}, and {@code invalid_request} unless its description is one of
 *       Salesforce's own texts for a request or configuration error. Salesforce answers a
 *       refusal by the Apex token exchange handler with {@code invalid_request} "token handler
 *       validation failed", a text the handler may replace with any of its own ("email claim is
 *       required"), so only Salesforce's exact texts are the gateway's: matching fragments would
 *       make a handler's own words a 502;</li>
 *   <li>nobody's, for now: {@code temporarily_unavailable} (the org throttling logins) and
 *       {@code unknown_error} "retry your request" (Salesforce's intermittent 400) are
 *       unavailability, counted by the breaker; {@code rate_limit_exceeded} is one user's
 *       hourly login limit ({@link LoginCondition#USER_THROTTLED}), not counted;</li>
 *   <li>the environment's: {@code invalid_grant} "ip restricted or invalid login hours"
 *       ({@link LoginCondition#IP_RESTRICTED});</li>
 *   <li>the gateway's: everything else ({@code invalid_client}, {@code invalid_client_id},
 *       {@code unsupported_grant_type}, {@code invalid_scope}, "token handler not found"…).</li>
 * </ul>
 * One instance per registration: it says once, at WARN, what to fix when users are not approved
 * or the gateway's address is outside Login IP Ranges.
 */
final class TokenErrorClassifier {

    /** Seconds a caller is told to wait when the org throttles logins without a {@code Retry-After}. */
    static final long THROTTLED_RETRY_AFTER_SECONDS = 30;
    /** Seconds a caller is told to wait after Salesforce's transient {@code unknown_error}. */
    static final long TRANSIENT_RETRY_AFTER_SECONDS = 5;
    /** The shortest wait for a user whose hourly login limit is spent. */
    static final long MIN_USER_THROTTLE_SECONDS = 60;

    private static final Logger log = LoggerFactory.getLogger(TokenErrorClassifier.class);

    private static final String IP_RESTRICTED = "ip restricted or invalid login hours";

    /**
     * Salesforce's own {@code invalid_request} descriptions (lower case) that blame the request
     * or the registration rather than the subject token, compared whole.
     */
    private static final Set<String> CONFIGURATION_ERRORS = Set.of(
            "token handler not found",
            "must use http post",
            "malformed request",
            "unsupported subject token type",
            "invalid subject token type",
            "invalid token type",
            "invalid grant type",
            "grant type not supported",
            "unsupported grant type");

    /**
     * Salesforce's texts that name a protocol parameter or the request's encoding: "subject_token
     * is required", "missing required parameter: client_id", "content type must be
     * application/x-www-form-urlencoded". A handler's "email claim is required" names no parameter.
     */
    private static final Pattern REQUEST_ERRORS = Pattern.compile(
            "(?:(?:subject_token|subject_token_type|grant_type|client_id|client_secret|token_handler|scope)"
                    + " (?:is )?required"
                    + "|missing required parameter:? ?(?:subject_token|subject_token_type|grant_type|client_id|"
                    + "client_secret|token_handler|scope)?"
                    + "|content[ -]type (?:must be|is not|not supported).*)");

    private final String registration;
    private final LongSupplier clockMillis;
    private final AtomicBoolean notApprovedHinted = new AtomicBoolean();
    private final AtomicBoolean ipRestrictedHinted = new AtomicBoolean();

    /** @param clockMillis the wall clock, for the end of a throttled user's hour */
    TokenErrorClassifier(String registration, LongSupplier clockMillis) {
        this.registration = registration;
        this.clockMillis = clockMillis;
    }

    /**
     * @param detail the log-safe text for the failure
     * @param retryAfterSeconds the answer's {@code Retry-After}, or 0
     */
    ExchangeFailure classify(String error, String description, String detail, long retryAfterSeconds) {
        String code = error == null ? "" : error;
        String text = description == null ? "" : description.strip().toLowerCase(Locale.ROOT);
        return switch (code) {
            case "rate_limit_exceeded" -> new ExchangeFailure(LoginCondition.USER_THROTTLED, detail,
                    retryAfterSeconds > 0 ? retryAfterSeconds : secondsToTheEndOfTheHour());
            case "temporarily_unavailable" -> new ExchangeFailure(Kind.UNAVAILABLE,
                    detail, retryAfterSeconds > 0 ? retryAfterSeconds : THROTTLED_RETRY_AFTER_SECONDS);
            case "unknown_error" -> new ExchangeFailure(Kind.UNAVAILABLE,
                    detail, retryAfterSeconds > 0 ? retryAfterSeconds : TRANSIENT_RETRY_AFTER_SECONDS);
            case "invalid_grant" -> text.contains("hasn't approved") || text.contains("has not approved")
                    ? notApproved(detail)
                    : text.equals(IP_RESTRICTED) ? ipRestricted(detail)
                    : new ExchangeFailure(Kind.SUBJECT_REJECTED, detail);
            case "invalid_token", "invalid_app_access", "inactive_user" -> new ExchangeFailure(Kind.SUBJECT_REJECTED, detail);
            case "invalid_request" -> isConfigurationError(text)
                    ? new ExchangeFailure(Kind.GATEWAY_REJECTED, detail)
                    : new ExchangeFailure(SubjectRefusal.HANDLER_REJECTED, detail);
            default -> new ExchangeFailure(Kind.GATEWAY_REJECTED, detail);
        };
    }

    /**
     * Salesforce counts a user's logins per hour and says nothing of when they are allowed again:
     * the rest of the current clock hour, at least a minute.
     */
    private long secondsToTheEndOfTheHour() {
        long secondsIntoHour = Math.floorMod(clockMillis.getAsLong() / 1000, 3600L);
        return Math.max(MIN_USER_THROTTLE_SECONDS, 3600 - secondsIntoHour);
    }

    private ExchangeFailure notApproved(String detail) {
        if (notApprovedHinted.compareAndSet(false, true)) {
            log.warn("Salesforce says a user of registration {} has not approved the app (\"user hasn't approved this "
                    + "consumer\"). In Salesforce, set the External Client App's Permitted Users policy to \"Admin "
                    + "approved users are pre-authorized\" and assign the users' profiles or permission sets to the "
                    + "app. Said once; each case counts as outcome not_approved.", registration);
        }
        return new ExchangeFailure(SubjectRefusal.NOT_APPROVED, detail);
    }

    private ExchangeFailure ipRestricted(String detail) {
        if (ipRestrictedHinted.compareAndSet(false, true)) {
            log.warn("Salesforce refused a login on registration {} with \"ip restricted or invalid login hours\": the "
                    + "gateway's outbound address is outside the Login IP Ranges of the user's profile (or the user is "
                    + "outside its Login Hours). In Salesforce, set the app's IP Relaxation policy to \"Relax IP "
                    + "restrictions\", or add the gateway's egress addresses to the profile's Login IP Ranges. Answered "
                    + "502; said once; each case counts as outcome ip_restricted.", registration);
        }
        return new ExchangeFailure(LoginCondition.IP_RESTRICTED, detail, 0);
    }

    private static boolean isConfigurationError(String description) {
        return CONFIGURATION_ERRORS.contains(description) || REQUEST_ERRORS.matcher(description).matches();
    }
}
