package io.sfgateway.emulator;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
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

    SessionIssuer(String orgId, String baseUrl, SessionStore sessions, EmulatorControls controls,
            EmulatorCounters counters, RandomTokens random, Clock clock) {
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
     * Issues the session; {@code sitePrefix} is the Experience Cloud site the request came through, or {@code null}.
     * A site's answer names the site ({@code sfdc_site_url}, {@code sfdc_site_id}) and keeps {@code instance_url} on
     * the org's own host.
     */
    Map<String, Object> issue(ExchangeRequestChecks.Granted grant, TokenFault fault, String sitePrefix) {
        Instant now = clock.instant();
        boolean refreshToken = wantsRefreshToken(grant.scope());
        Session session = new Session(random.accessToken(orgId), grant.subject(), grant.userId(),
                grant.app().clientId(), now, sitePrefix != null, refreshToken);
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
        if (sitePrefix != null) {
            body.put("sfdc_site_url", baseUrl + sitePrefix);
            body.put("sfdc_site_id", OrgPolicies.SITE_ID);
        }
        log.debug("session issued: subject={} userId={} clientId={} fault={}", grant.subject(), grant.userId(),
                grant.app().clientId(), fault);
        return body;
    }

    private static boolean wantsRefreshToken(String scope) {
        return Arrays.stream(scope.trim().split("\\s+"))
                .anyMatch(s -> s.equals("refresh_token") || s.equals("offline_access"));
    }
}
