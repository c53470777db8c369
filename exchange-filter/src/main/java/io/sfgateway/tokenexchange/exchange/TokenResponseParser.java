package io.sfgateway.tokenexchange.exchange;

import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.ExchangeFailure;
import io.sfgateway.tokenexchange.ExchangeFailure.Kind;
import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns the token endpoint's answers into a {@link SalesforceSession} or an
 * {@link ExchangeFailure}: success bodies are checked for shape, allowlist and signature, and an
 * Experience Cloud member's site ({@code sfdc_site_url} or {@code sfdc_community_url}) becomes
 * where REST goes; error bodies are
 * classified by their OAuth error code ({@link TokenErrorClassifier}).
 */
final class TokenResponseParser {

    private static final Logger log = LoggerFactory.getLogger(TokenResponseParser.class);

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    static {
        // Jackson builds and caches its tree deserializer behind a lock on first use: do it here, not on the
        // event loops of the first burst of exchanges, where they would wait for each other.
        JSON.readTree("{}");
    }

    private final ExchangeSettings settings;
    private final LongSupplier clock;
    private final RecurringValues recurring = new RecurringValues();
    private final TokenErrorClassifier errors;
    private final AtomicBoolean siteHinted = new AtomicBoolean();
    private final AtomicBoolean jwtHinted = new AtomicBoolean();
    private final AnswerSignature signature;

    TokenResponseParser(ExchangeSettings settings, LongSupplier clock) {
        this.settings = settings;
        this.clock = clock;
        this.errors = new TokenErrorClassifier(settings.registration(), clock);
        this.signature = new AnswerSignature(settings.client().clientSecret());
    }

    /** Parses a 2xx body. */
    SalesforceSession session(byte[] body) {
        JsonNode json = parse(body);
        if (json == null || !json.isObject()) {
            throw unacceptable("token response is not a JSON object");
        }
        String accessToken = text(json, "access_token");
        String instanceUrl = text(json, "instance_url");
        if (accessToken == null || accessToken.isBlank()) {
            throw unacceptable("token response has no access_token" + errorSuffix(json));
        }
        if (instanceUrl == null) {
            throw unacceptable("token response has no instance_url");
        }
        URI instance = restUrl(instanceUrl, siteField(json));
        String id = text(json, "id");
        String issuedAt = text(json, "issued_at");
        String signed = text(json, "signature");
        if (settings.client().isConfidential() && signed != null) {
            signature.verify(id, issuedAt, signed);
        }
        String orgId = null;
        String userId = null;
        if (id != null) {
            String[] parts = id.split("/");
            if (parts.length >= 3 && "id".equals(parts[parts.length - 3])) {
                orgId = parts[parts.length - 2];
                userId = parts[parts.length - 1];
            }
        }
        // refresh_token and id_token are never kept: the gateway has no use for them, and a
        // refresh token is a long-lived credential (docs/REAL-ORGS.md, "No refresh tokens").
        long issued = issuedAtMillis(issuedAt);
        return new SalesforceSession(accessToken, recurring.grant(instance, orgId, text(json, "scope")), userId,
                issued, "jwt".equalsIgnoreCase(text(json, "token_format")) ? expiresAtMillis(accessToken) : 0);
    }

    /**
     * A JWT-format access token's {@code exp}: such a token expires then, however busy. One whose
     * {@code exp} cannot be read is used like a session id; said once at WARN.
     */
    private long expiresAtMillis(String accessToken) {
        long expiresAt = JwtExpiry.epochMillis(accessToken);
        if (expiresAt == 0 && jwtHinted.compareAndSet(false, true)) {
            log.warn("Registration {}: Salesforce said token_format jwt but the access token's exp cannot be read; "
                    + "such sessions are kept for session-timeout. Said once.", settings.registration());
        }
        return expiresAt;
    }

    /**
     * Classifies a 4xx answer by its OAuth error code ({@link TokenErrorClassifier}). The detail
     * quotes Salesforce's error and description with {@code subjectToken} and the client secret
     * cut out, should they be echoed (a token exchange handler's message is free text): the
     * detail goes to the log.
     *
     * @param retryAfterSeconds the answer's {@code Retry-After}, or 0
     */
    ExchangeFailure refusal(int status, byte[] body, String subjectToken, long retryAfterSeconds) {
        JsonNode json = parse(body);
        String error = json != null && json.isObject() ? text(json, "error") : null;
        String description = json != null && json.isObject() ? text(json, "error_description") : null;
        String detail = "HTTP " + status + " " + (error == null ? "(no OAuth error code)" : error)
                + (description == null ? "" : ": " + description);
        detail = redact(redact(detail, subjectToken), settings.client().clientSecret());
        return errors.classify(error, description, detail, retryAfterSeconds);
    }

    private static String redact(String text, String secret) {
        return secret == null || secret.isEmpty() ? text : text.replace(secret, "[redacted]");
    }

    /**
     * The Experience Cloud site Salesforce named, under either name it uses: {@code sfdc_site_url}
     * (current Help pages) or {@code sfdc_community_url} (older answers, Salesforce's headless
     * identity samples, its Mobile SDK); {@code null} for a user who is not a site member.
     */
    private static TokenAnswerFields.Site siteField(JsonNode json) {
        String site = text(json, "sfdc_site_url");
        if (site != null && !site.isBlank()) {
            return new TokenAnswerFields.Site("sfdc_site_url", site);
        }
        String community = text(json, "sfdc_community_url");
        return community != null && !community.isBlank() ? new TokenAnswerFields.Site("sfdc_community_url", community) : null;
    }

    /**
     * A 2xx body's fields besides the session, for a check ({@link InspectedExchange}); {@code null}
     * when the body is not a JSON object. Neither token nor signature is read.
     */
    TokenAnswerFields fields(byte[] body) {
        JsonNode json = parse(body);
        if (json == null || !json.isObject()) {
            return null;
        }
        TokenAnswerFields.Site site = siteField(json);
        String refreshToken = text(json, "refresh_token");
        return new TokenAnswerFields(text(json, "scope"), refreshToken != null && !refreshToken.isEmpty(),
                text(json, "token_format"), text(json, "instance_url"),
                site);
    }

    /** A 4xx body's OAuth {@code error} code, or {@code null}. */
    static String oauthError(byte[] body) {
        JsonNode json = parse(body);
        return json != null && json.isObject() ? text(json, "error") : null;
    }

    /**
     * Where REST calls for this session go, which is the one URL the allowlist must cover: an
     * Experience Cloud member's REST goes to the site Salesforce named, while {@code instance_url}
     * stays on the org's own host (My Domain), which is then never called and need not be
     * allowlisted; anyone else's goes to {@code instance_url}.
     */
    private URI restUrl(String instanceUrl, TokenAnswerFields.Site site) {
        String rest = site == null ? instanceUrl : site.url();
        String field = site == null ? "instance_url" : site.field();
        URI url = recurring.knownInstanceUrl(rest);
        if (url == null) {
            try {
                url = new URI(rest);
            } catch (java.net.URISyntaxException e) {
                throw unacceptable(field + " is not a URI");
            }
        }
        if (!settings.allowlist().allows(url)) {
            if (site != null && siteHinted.compareAndSet(false, true)) {
                log.warn("Registration {}: Salesforce named the Experience Cloud site {} ({}), where site members' REST "
                        + "calls go, but it is not in instance-url-allowlist, so their exchanges are refused. Add the site "
                        + "URL to instance-url-allowlist (instance_url, the org's own host, need not be in it). Said once.",
                        settings.registration(), ExchangeFailure.sanitize(rest), field);
            }
            throw unacceptable(field + " " + ExchangeFailure.sanitize(rest) + " is not allowlisted");
        }
        return recurring.rememberInstanceUrl(rest, url);
    }

    private long issuedAtMillis(String issuedAt) {
        if (issuedAt != null) {
            try {
                return Long.parseLong(issuedAt);
            } catch (NumberFormatException ignored) {
                // fall through: a missing or odd issued_at does not make the session unusable
            }
        }
        return clock.getAsLong();
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (JacksonException e) {
            return null;
        }
    }

    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        return node.isString() || node.isNumber() ? node.asString() : null;
    }

    private static String errorSuffix(JsonNode json) {
        String error = text(json, "error");
        return error == null ? "" : " (error " + error + ")";
    }

    private static ExchangeFailure unacceptable(String detail) {
        return new ExchangeFailure(Kind.SESSION_UNACCEPTABLE, detail);
    }
}
