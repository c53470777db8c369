package io.sfgateway.tokenexchange.exchange;

import io.sfgateway.tokenexchange.exchange.ExchangeFailure.Kind;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns the token endpoint's answers into a {@link SalesforceSession} or an
 * {@link ExchangeFailure}: success bodies are checked for shape, allowlist and signature;
 * error bodies are classified by their OAuth error code.
 */
final class TokenResponseParser {

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
    /** {@code Mac.getInstance} looks the provider up each time: one keyed instance per thread instead. */
    private final ThreadLocal<Mac> signatureMac;

    TokenResponseParser(ExchangeSettings settings, LongSupplier clock) {
        this.settings = settings;
        this.clock = clock;
        this.signatureMac = ThreadLocal.withInitial(this::newSignatureMac);
    }

    private Mac newSignatureMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(settings.clientSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is always available", e);
        }
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
        URI instance = recurring.knownInstanceUrl(instanceUrl);
        if (instance == null) {
            try {
                instance = new URI(instanceUrl);
            } catch (java.net.URISyntaxException e) {
                throw unacceptable("instance_url is not a URI");
            }
        }
        if (!settings.allowlist().allows(instance)) {
            throw unacceptable("instance_url " + ExchangeFailure.sanitize(instanceUrl) + " is not allowlisted");
        }
        instance = recurring.rememberInstanceUrl(instanceUrl, instance);
        String id = text(json, "id");
        String issuedAt = text(json, "issued_at");
        String signature = text(json, "signature");
        if (settings.isConfidential() && signature != null) {
            verifySignature(id, issuedAt, signature);
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
        return new SalesforceSession(accessToken, instance, recurring.share(orgId), userId,
                issuedAtMillis(issuedAt), recurring.share(text(json, "scope")), text(json, "refresh_token"),
                text(json, "id_token"));
    }

    /**
     * Classifies a 4xx answer by its OAuth error code. The detail quotes Salesforce's error and
     * description with {@code subjectToken} and the client secret cut out, should they be echoed
     * (a token exchange handler's message is free text): the detail goes to the log.
     */
    ExchangeFailure refusal(int status, byte[] body, String subjectToken) {
        JsonNode json = parse(body);
        String error = json != null && json.isObject() ? text(json, "error") : null;
        String description = json != null && json.isObject() ? text(json, "error_description") : null;
        String detail = "HTTP " + status + " " + (error == null ? "(no OAuth error code)" : error)
                + (description == null ? "" : ": " + description);
        detail = redact(redact(detail, subjectToken), settings.clientSecret());
        return new ExchangeFailure(isSubjectsFault(error) ? Kind.SUBJECT_REJECTED : Kind.GATEWAY_REJECTED, detail);
    }

    private static String redact(String text, String secret) {
        return secret == null || secret.isEmpty() ? text : text.replace(secret, "[redacted]");
    }

    /**
     * Whether Salesforce blames the caller's token or user rather than the gateway's
     * registration. {@code invalid_client}, {@code invalid_request}, {@code unsupported_grant_type}
     * and the rest are the gateway's to fix.
     */
    private static boolean isSubjectsFault(String error) {
        return error != null && switch (error) {
            case "invalid_grant", "invalid_token", "invalid_app_access", "inactive_user" -> true;
            default -> false;
        };
    }

    private void verifySignature(String id, String issuedAt, String signature) {
        if (id == null || issuedAt == null) {
            throw unacceptable("signature present without id and issued_at");
        }
        byte[] expected;
        byte[] actual;
        try {
            expected = signatureMac.get().doFinal((id + issuedAt).getBytes(StandardCharsets.UTF_8));
            actual = Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            throw unacceptable("signature is not valid Base64 HMAC-SHA256");
        }
        if (!MessageDigest.isEqual(expected, actual)) {
            throw unacceptable("signature does not match id + issued_at");
        }
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
