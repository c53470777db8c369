package io.sfgateway.emulator;

import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks Salesforce makes on a token exchange request, in its order: grant type, client, subject token,
 * token type, token handler, then the handler's own validation of the subject token and the user lookup.
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
    static final Refused INVALID_GRANT = new Refused("invalid_grant", "invalid subject token");
    static final Refused USER_NOT_FOUND = new Refused("invalid_grant", "user not found");

    private final EmulatorConfig config;
    private final SubjectTokenValidator validator;
    private final UserDirectory users;

    ExchangeRequestChecks(EmulatorConfig config, SubjectTokenValidator validator, UserDirectory users) {
        this.config = config;
        this.validator = validator;
        this.users = users;
    }

    Outcome check(Map<String, String> form) {
        String grantType = form.get("grant_type");
        if (!GRANT_TOKEN_EXCHANGE.equals(grantType) && !GRANT_HYBRID_TOKEN_EXCHANGE.equals(grantType)) {
            return refuse(new Refused("unsupported_grant_type", "grant type not supported"), "grant_type");
        }
        String clientId = form.get("client_id");
        ConnectedApp app = clientId == null ? null : config.app(clientId);
        if (app == null) {
            return refuse(INVALID_CLIENT, "unknown client_id");
        }
        if (app.isConfidential() && !app.clientSecret().equals(form.get("client_secret"))) {
            return refuse(INVALID_CLIENT, "client secret missing or wrong for " + clientId);
        }
        String subjectToken = form.get("subject_token");
        if (subjectToken == null || subjectToken.isBlank()) {
            return refuse(new Refused("invalid_request", "subject_token is required"), "no subject_token");
        }
        if (subjectToken.length() > MAX_SUBJECT_TOKEN_LENGTH) {
            return refuse(new Refused("invalid_request", "subject_token is too long"), "subject_token too long");
        }
        String tokenType = form.get("subject_token_type");
        if (tokenType == null || !app.acceptedTokenTypes().contains(tokenType)) {
            return refuse(new Refused("invalid_request", "unsupported subject token type"),
                    "subject_token_type " + tokenType);
        }
        String handler = form.get("token_handler");
        if (handler != null && !app.knowsHandler(handler)) {
            return refuse(new Refused("invalid_request", "token handler not found"), "token_handler " + handler);
        }
        SubjectTokenValidator.Verdict verdict = validator.validate(subjectToken);
        if (!verdict.accepted()) {
            return refuse(INVALID_GRANT, verdict.reason());
        }
        Optional<String> userId = users.userId(verdict.subject());
        if (userId.isEmpty()) {
            return refuse(USER_NOT_FOUND, "no user for subject " + verdict.subject());
        }
        String scope = form.get("scope");
        return new Granted(app, verdict.subject(), userId.get(), scope == null || scope.isBlank() ? "api" : scope,
                grantType);
    }

    private static Refused refuse(Refused refused, String reason) {
        log.debug("token exchange refused: {} ({})", refused.error(), reason);
        return refused;
    }
}
