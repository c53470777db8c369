package io.sfgateway.emulator;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks Salesforce makes on a token exchange request, in its order: grant type, client, the app's flow switch,
 * subject token, token type, token handler, scope, then the handler's own validation of the subject token and the
 * user lookup (both refused as {@code invalid_request} "token handler validation failed", as a real org does), and
 * the user's login rate, status and approval ({@link OrgPolicies}).
 */
final class ExchangeRequestChecks {

    static final String GRANT_TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    static final String GRANT_HYBRID_TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:hybrid-token-exchange";
    static final int MAX_SUBJECT_TOKEN_LENGTH = 10_000;

    private static final Logger log = LoggerFactory.getLogger(ExchangeRequestChecks.class);

    /** What the checks concluded. */
    sealed interface Outcome permits Refused, Granted {
    }

    /** A 400 with Salesforce's OAuth error shape. */
    record Refused(String error, String description) implements Outcome {
        Answer answer() {
            return Answer.json(400, Json.oauthError(error, description));
        }
    }

    /** Everything needed to issue a session. */
    record Granted(ConnectedApp app, String subject, String userId, String scope, String grantType)
            implements Outcome {
    }

    static final Refused INVALID_CLIENT = new Refused("invalid_client", "invalid client credentials");
    static final Refused INVALID_CLIENT_ID = new Refused("invalid_client_id", "client identifier invalid");
    static final Refused UNSUPPORTED_GRANT_TYPE = new Refused("unsupported_grant_type", "grant type not supported");
    static final Refused INVALID_GRANT = new Refused("invalid_grant", "invalid subject token");
    static final Refused NOT_APPROVED = new Refused("invalid_grant", "user hasn't approved this consumer");
    /** The user's profile has Login IP Ranges the request's address is outside of, or login hours it is outside of. */
    static final Refused IP_RESTRICTED = new Refused("invalid_grant", "ip restricted or invalid login hours");

    private final EmulatorConfig config;
    private final SubjectTokenValidator validator;
    private final UserDirectory users;
    private final OrgPolicies policies;
    private final Clock clock;

    ExchangeRequestChecks(EmulatorConfig config, SubjectTokenValidator validator, UserDirectory users,
            OrgPolicies policies, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.policies = policies;
        this.validator = validator;
        this.users = users;
    }

    Outcome check(Map<String, String> form) {
        String grantType = form.get("grant_type");
        if (!GRANT_TOKEN_EXCHANGE.equals(grantType) && !GRANT_HYBRID_TOKEN_EXCHANGE.equals(grantType)) {
            return refuse(UNSUPPORTED_GRANT_TYPE, "grant_type");
        }
        String clientId = form.get("client_id");
        ConnectedApp app = clientId == null ? null : config.app(clientId);
        if (app == null) {
            return refuse(INVALID_CLIENT_ID, "unknown client_id");
        }
        if (app.isConfidential() && !app.clientSecret().equals(form.get("client_secret"))) {
            return refuse(INVALID_CLIENT, "client secret missing or wrong for " + clientId);
        }
        if (!policies.tokenExchangeFlowEnabled()) {
            return refuse(UNSUPPORTED_GRANT_TYPE, "token exchange flow not enabled on the app");
        }
        String subjectToken = form.get("subject_token");
        if (subjectToken == null || subjectToken.isBlank()) {
            return refuse(new Refused("invalid_request", "subject_token is required"), "no subject_token");
        }
        if (subjectToken.length() > MAX_SUBJECT_TOKEN_LENGTH) {
            return refuse(new Refused("invalid_request", "subject_token is too long"), "subject_token too long");
        }
        String tokenType = form.get("subject_token_type");
        if (tokenType == null || !ConnectedApp.DOCUMENTED_TOKEN_TYPES.contains(tokenType)
                || !app.acceptedTokenTypes().contains(tokenType)) {
            return refuse(new Refused("invalid_request", "unsupported subject token type"),
                    "subject_token_type " + tokenType);
        }
        String handler = form.get("token_handler");
        if (handler != null ? !app.knowsHandler(handler) : !policies.defaultHandlerSet()) {
            return refuse(new Refused("invalid_request", "token handler not found"),
                    handler == null ? "no token_handler and no default handler" : "token_handler " + handler);
        }
        String scope = form.get("scope");
        if (scope != null && !scope.isBlank() && !policies.appScopes().containsAll(List.of(scope.trim().split("\\s+")))) {
            return refuse(new Refused("invalid_scope", "the requested scope is not allowed"), "scope " + scope);
        }
        Refused handlerRefusal = new Refused("invalid_request", policies.handlerRefusal());
        SubjectTokenValidator.Verdict verdict = validator.validate(subjectToken);
        if (!verdict.accepted()) {
            return refuse(handlerRefusal, verdict.reason());
        }
        Optional<String> userId = users.userId(verdict.subject());
        if (userId.isEmpty()) {
            // A real handler that maps no user returns null, which Salesforce reports like a refusal.
            return refuse(handlerRefusal, "no user for subject " + verdict.subject());
        }
        if (!policies.login(verdict.subject(), clock.instant())) {
            return refuse(new Refused("rate_limit_exceeded", "number of logins exceeded"), "login rate limit");
        }
        if (policies.isIpRestricted(verdict.subject())) {
            return refuse(IP_RESTRICTED, "outside the profile's login IP ranges or hours");
        }
        if (policies.isInactive(verdict.subject())) {
            return refuse(new Refused("inactive_user", "user is inactive"), "inactive user");
        }
        if (!policies.isApproved(verdict.subject())) {
            return refuse(NOT_APPROVED, "not a permitted user of the app");
        }
        // No scope asked: Salesforce grants every scope the app has, refresh_token included when it has it.
        return new Granted(app, verdict.subject(), userId.get(),
                scope == null || scope.isBlank() ? String.join(" ", new java.util.TreeSet<>(policies.appScopes())) : scope,
                grantType);
    }

    private static Refused refuse(Refused refused, String reason) {
        log.debug("token exchange refused: {} ({})", refused.error(), reason);
        return refused;
    }
}
