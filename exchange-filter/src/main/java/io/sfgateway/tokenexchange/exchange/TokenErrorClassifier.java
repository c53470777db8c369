package io.sfgateway.tokenexchange.exchange;

import io.sfgateway.tokenexchange.ExchangeFailure;
import io.sfgateway.tokenexchange.ExchangeFailure.Kind;
import io.sfgateway.tokenexchange.ExchangeFailure.SubjectRefusal;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sorts the token endpoint's 4xx OAuth errors into whose fault they are, the way a real org
 * answers (docs/REAL-ORGS.md):
 * <ul>
 *   <li>the caller's: {@code invalid_grant}, {@code invalid_token}, {@code invalid_app_access},
 *       {@code inactive_user}, and {@code invalid_request} unless its description names a
 *       request or configuration error. Salesforce answers a refusal by the Apex token exchange
 *       handler with {@code invalid_request} "token handler validation failed", a text the
 *       handler may replace with its own, so any other description is the handler's;</li>
 *   <li>nobody's, for now: {@code rate_limit_exceeded} and {@code temporarily_unavailable}
 *       (login throttling) are unavailability, whatever the 4xx status;</li>
 *   <li>the gateway's: everything else ({@code invalid_client}, {@code invalid_client_id},
 *       {@code unsupported_grant_type}, {@code invalid_scope}, "token handler not found"…).</li>
 * </ul>
 * One instance per registration: it says once, at WARN, what to fix when users are not approved.
 */
final class TokenErrorClassifier {

    /** Seconds a caller is told to wait when Salesforce throttles logins without a {@code Retry-After}. */
    static final long THROTTLED_RETRY_AFTER_SECONDS = 30;

    private static final Logger log = LoggerFactory.getLogger(TokenErrorClassifier.class);

    /**
     * Lower-case fragments of Salesforce's {@code invalid_request} descriptions that blame the
     * request or the registration rather than the subject token.
     */
    private static final List<String> CONFIGURATION_ERRORS = List.of(
            "token handler not found",
            "not supported",
            "unsupported",
            "must use http post",
            "content type",
            "malformed request",
            "is required",
            "missing required",
            "invalid token type",
            "invalid subject token type",
            "invalid grant type");

    private final String registration;
    private final AtomicBoolean notApprovedHinted = new AtomicBoolean();

    TokenErrorClassifier(String registration) {
        this.registration = registration;
    }

    /**
     * @param detail the log-safe text for the failure
     * @param retryAfterSeconds the answer's {@code Retry-After}, or 0
     */
    ExchangeFailure classify(String error, String description, String detail, long retryAfterSeconds) {
        String code = error == null ? "" : error;
        String text = description == null ? "" : description.toLowerCase(Locale.ROOT);
        return switch (code) {
            case "rate_limit_exceeded", "temporarily_unavailable" -> new ExchangeFailure(Kind.UNAVAILABLE,
                    detail, retryAfterSeconds > 0 ? retryAfterSeconds : THROTTLED_RETRY_AFTER_SECONDS);
            case "invalid_grant" -> text.contains("hasn't approved") || text.contains("has not approved")
                    ? notApproved(detail)
                    : new ExchangeFailure(Kind.SUBJECT_REJECTED, detail);
            case "invalid_token", "invalid_app_access", "inactive_user" -> new ExchangeFailure(Kind.SUBJECT_REJECTED, detail);
            case "invalid_request" -> isConfigurationError(text)
                    ? new ExchangeFailure(Kind.GATEWAY_REJECTED, detail)
                    : new ExchangeFailure(SubjectRefusal.HANDLER_REJECTED, detail);
            default -> new ExchangeFailure(Kind.GATEWAY_REJECTED, detail);
        };
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

    private static boolean isConfigurationError(String description) {
        for (String fragment : CONFIGURATION_ERRORS) {
            if (description.contains(fragment)) {
                return true;
            }
        }
        return false;
    }
}
