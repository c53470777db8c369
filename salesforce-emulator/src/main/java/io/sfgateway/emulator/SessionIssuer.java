package io.sfgateway.emulator;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Issues a session for a granted exchange and writes Salesforce's token response for it. */
final class SessionIssuer {

    static final String OUTSIDE_INSTANCE_URL = "https://evil.example.com";

    private static final Logger log = LoggerFactory.getLogger(SessionIssuer.class);

    private final String orgId;
    private final String baseUrl;
    private final SessionStore sessions;
    private final EmulatorControls controls;
    private final EmulatorCounters counters;
    private final RandomTokens random;
    private final Clock clock;
    private final OrgPolicies policies;
    private final byte[] jwtKey;

    SessionIssuer(String orgId, String baseUrl, SessionStore sessions, EmulatorControls controls,
            EmulatorCounters counters, RandomTokens random, Clock clock, OrgPolicies policies) {
        this.policies = policies;
        this.jwtKey = random.urlSafe(32).getBytes(StandardCharsets.US_ASCII);
        this.orgId = orgId;
        this.baseUrl = baseUrl;
        this.sessions = sessions;
        this.controls = controls;
        this.counters = counters;
        this.random = random;
        this.clock = clock;
    }

    /** The identity URL Salesforce returns as {@code id} and as the userinfo {@code sub}. */
    static String identityUrl(String baseUrl, String orgId, String userId) {
        return baseUrl + "/id/" + orgId + "/" + userId;
    }

    /** Issues the session and returns the 200 body; {@code fault} may spoil the instance URL or the signature. */
    Map<String, Object> issue(ExchangeRequestChecks.Granted grant, TokenFault fault) {
        return issue(grant, fault, null);
    }

    /**
     * Issues the session; {@code siteUrl} is the Experience Cloud site the request came through (its host and
     * prefix), or {@code null}. A site's answer names the site ({@code sfdc_site_url} and {@code sfdc_site_id}, or
     * the older {@code sfdc_community_url} and {@code sfdc_community_id}) and keeps {@code instance_url} on the org's
     * own host, as a real org's does.
     */
    Map<String, Object> issue(ExchangeRequestChecks.Granted grant, TokenFault fault, String siteUrl) {
        Instant now = clock.instant();
        boolean refreshToken = wantsRefreshToken(grant.scope());
        Duration jwtTimeout = policies.jwtAccessTokens();
        Instant expiresAt = jwtTimeout == null ? null : now.plus(jwtTimeout);
        String accessToken = expiresAt == null ? random.accessToken(orgId)
                : jwtAccessToken(grant, now, expiresAt);
        Session session = new Session(accessToken, grant.subject(), grant.userId(),
                grant.app().clientId(), now, siteUrl != null, refreshToken, expiresAt);
        sessions.add(session, controls::sessionTimeout);
        counters.exchange(grant.subject());

        String id = identityUrl(baseUrl, orgId, grant.userId());
        String issuedAt = Long.toString(now.toEpochMilli());
        String instanceUrl = fault == TokenFault.INSTANCE_URL_OUTSIDE ? OUTSIDE_INSTANCE_URL
                : controls.instanceUrlOverride() != null ? controls.instanceUrlOverride() : baseUrl;

        Map<String, Object> body = Json.object("access_token", session.accessToken());
        if (refreshToken) {
            body.put("refresh_token", random.refreshToken());
        }
        if (fault == TokenFault.WRONG_SIGNATURE) {
            body.put("signature", SessionSignature.sign(id, issuedAt, "not-the-client-secret-" + random.urlSafe(8)));
        } else if (grant.app().isConfidential()) {
            body.put("signature", SessionSignature.sign(id, issuedAt, grant.app().clientSecret()));
        }
        body.put("scope", grant.scope());
        body.put("instance_url", instanceUrl);
        body.put("id", id);
        body.put("token_type", "Bearer");
        body.put("issued_at", issuedAt);
        body.put("token_format", expiresAt == null ? "opaque" : "jwt");
        if (siteUrl != null) {
            boolean older = policies.communityFieldNames();
            body.put(older ? "sfdc_community_url" : "sfdc_site_url", siteUrl);
            body.put(older ? "sfdc_community_id" : "sfdc_site_id", OrgPolicies.SITE_ID);
        }
        log.debug("session issued: subject={} userId={} clientId={} fault={}", grant.subject(), grant.userId(),
                grant.app().clientId(), fault);
        return body;
    }

    /**
     * A JWT-based access token as Salesforce issues one with "Issue JWT-based access tokens" on: {@code iat} and
     * {@code exp} (the app's Token Timeout later), signed with a key of this emulator only (the gateway never checks
     * Salesforce's signature; Salesforce signs with its own key).
     */
    private String jwtAccessToken(ExchangeRequestChecks.Granted grant, Instant now, Instant expiresAt) {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String header = url.encodeToString(Json.write(Json.object("alg", "HS256", "typ", "JWT", "tnt", orgId))
                .getBytes(StandardCharsets.UTF_8));
        String payload = url.encodeToString(Json.write(Json.object(
                "iss", baseUrl, "sub", grant.userId(), "aud", "https://api.salesforce.com", "client_id",
                grant.app().clientId(), "scp", grant.scope(), "jti", random.urlSafe(16),
                "iat", now.getEpochSecond(), "exp", expiresAt.getEpochSecond())).getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(jwtKey, "HmacSHA256"));
            return header + "." + payload + "." + url.encodeToString(
                    mac.doFinal((header + "." + payload).getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static boolean wantsRefreshToken(String scope) {
        return Arrays.stream(scope.trim().split("\\s+"))
                .anyMatch(s -> s.equals("refresh_token") || s.equals("offline_access"));
    }
}
