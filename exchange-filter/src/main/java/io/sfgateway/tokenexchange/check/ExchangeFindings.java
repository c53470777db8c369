package io.sfgateway.tokenexchange.check;

import io.sfgateway.tokenexchange.ExchangeFailure;
import io.sfgateway.tokenexchange.ExchangeFailure.LoginCondition;
import io.sfgateway.tokenexchange.ExchangeFailure.SubjectRefusal;
import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.check.CheckReport.Finding;
import io.sfgateway.tokenexchange.exchange.ExchangeSettings;
import io.sfgateway.tokenexchange.exchange.InspectedExchange;
import io.sfgateway.tokenexchange.exchange.TokenAnswerFields;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Judges one inspected exchange: the failure as the {@code exchange} package classified it, with
 * the fix, or the answer's scopes, refresh token, token format, site fields and REST host.
 */
final class ExchangeFindings {

    static final String REFRESH_TOKEN_FIX = "ask only scopes: [api] (SF_SCOPES=api) and remove refresh_token "
            + "(and offline_access) from the app's OAuth scopes; then revoke the test user's refresh tokens "
            + "(Setup > Users > the user > OAuth Connected Apps)";

    private ExchangeFindings() {
    }

    static void judge(InspectedExchange inspected, ExchangeSettings settings, List<Finding> findings) {
        if (settings.request().scope() == null || settings.request().scope().isBlank()) {
            findings.add(Finding.warn("the registration asks no scope, so Salesforce grants every scope the app has "
                    + "(refresh_token too, when the app has it)", "set scopes: [api] (SF_SCOPES=api)"));
        }
        TokenAnswerFields fields = inspected.fields();
        if (inspected.session() == null && fields == null) {
            findings.add(refusal(inspected.failure(), inspected.oauthError()));
            return;
        }
        SalesforceSession session = inspected.session();
        findings.add(session != null
                ? Finding.ok("token handler answered: a session for user " + session.userId() + " of org "
                        + session.orgId())
                : Finding.ok("token handler answered with a session"));
        boolean allowlisted = true;
        if (fields != null) {
            scopes(fields, findings);
            tokenFormat(fields, session, findings);
            allowlisted = restHost(fields, settings, findings);
        }
        if (session == null && allowlisted) { // a REST host outside the allowlist is said, with its fix, above
            findings.add(Finding.fail("the gateway refuses Salesforce's answer: " + inspected.failure().detail(),
                    unacceptableFix(inspected.failure().detail())));
        }
    }

    private static void scopes(TokenAnswerFields fields, List<Finding> findings) {
        List<String> granted = fields.scope() == null ? List.of()
                : Arrays.asList(fields.scope().strip().split("\\s+"));
        findings.add(Finding.ok("scopes granted: " + (fields.scope() == null ? "(none named)" : fields.scope())));
        if (fields.scope() != null && !granted.contains("api") && !granted.contains("full")) {
            findings.add(Finding.fail("the session has no api scope: REST refuses it",
                    "give the app the api scope and ask scopes: [api] (SF_SCOPES=api)"));
        }
        boolean grantedRefresh = granted.contains("refresh_token") || granted.contains("offline_access");
        String approvals = "each exchange then counts as an approval of the app, and the sixth revokes the user's oldest "
                + "session";
        if (fields.refreshTokenReturned()) {
            findings.add(Finding.warn("a refresh_token came back: a long-lived credential the gateway never uses, and "
                    + approvals, REFRESH_TOKEN_FIX));
        } else if (grantedRefresh) {
            findings.add(Finding.warn("refresh_token (or offline_access) is among the scopes granted, though no "
                    + "refresh_token came back: " + approvals, REFRESH_TOKEN_FIX));
        } else {
            findings.add(Finding.ok("no refresh_token came back"));
        }
    }

    private static void tokenFormat(TokenAnswerFields fields, SalesforceSession session, List<Finding> findings) {
        String format = fields.tokenFormat() == null ? "(not named: a session id)" : fields.tokenFormat();
        if (!"jwt".equalsIgnoreCase(fields.tokenFormat())) {
            findings.add(Finding.ok("token_format: " + format + ", which lives for the org's session timeout"));
        } else if (session != null && session.expiresAtMillis() > 0) {
            findings.add(Finding.ok("token_format: jwt, expires at " + Instant.ofEpochMilli(session.expiresAtMillis())
                    + " (" + Math.round(session.fixedLifetime().toSeconds() / 60.0) + " min after issue)"));
        } else {
            findings.add(Finding.warn("token_format: jwt, but the token's exp cannot be read",
                    "the gateway keeps such sessions for session-timeout: set it no longer than the app's Token Timeout"));
        }
    }

    /** @return whether the REST host is allowlisted, or there is none to judge */
    private static boolean restHost(TokenAnswerFields fields, ExchangeSettings settings, List<Finding> findings) {
        findings.add(Finding.ok(fields.site() == null
                ? "site fields: none (sfdc_site_url and sfdc_community_url absent: not an Experience Cloud site member)"
                : "site fields: " + fields.site().field() + " " + ExchangeFailure.sanitize(fields.site().url())
                        + " (instance_url " + ExchangeFailure.sanitize(fields.instanceUrl()) + " is not called)"));
        String rest = fields.restUrl();
        if (rest == null) {
            return true; // the gateway's own refusal ("no instance_url") is reported by the caller
        }
        findings.add(Finding.ok("REST goes to " + ExchangeFailure.sanitize(rest) + " (" + fields.restUrlField() + ")"));
        URI url = uri(rest);
        if (url != null && settings.allowlist().allows(url)) {
            findings.add(Finding.ok("that REST host is in instance-url-allowlist"));
            return true;
        }
        findings.add(Finding.fail("that REST host is not in instance-url-allowlist: the gateway refuses every "
                + "session there (502)", "add " + origin(url, rest) + " to instance-url-allowlist "
                + "(SF_INSTANCE_URL_ALLOWLIST)" + (fields.site() != null
                ? "; instance_url, the org's own host, need not be in it" : "")));
        return false;
    }

    private static String unacceptableFix(String detail) {
        if (detail.contains("signature")) {
            return "client-secret (SF_CLIENT_SECRET) does not sign Salesforce's answer: give the app's current "
                    + "Consumer Secret";
        }
        if (detail.contains("redirect")) {
            return "login-url (SF_LOGIN_URL) is not a token endpoint host: use the current My Domain or site URL";
        }
        return "login-url (SF_LOGIN_URL) must name your org's My Domain or site URL";
    }

    /** The fix for a failed exchange, from the classification the filter uses and the OAuth error code. */
    static Finding refusal(ExchangeFailure failure, String oauthError) {
        String said = "token handler refused: " + failure.detail();
        if (failure.loginCondition() == LoginCondition.IP_RESTRICTED) {
            return Finding.fail(said + " (IP restriction or login hours)", "the gateway's outbound address is outside "
                    + "the user's profile Login IP Ranges, or now is outside its Login Hours: set the app's IP "
                    + "Relaxation to \"Relax IP restrictions\", or add the gateway's egress addresses to the profile's "
                    + "Login IP Ranges (and check its Login Hours)");
        }
        if (failure.loginCondition() == LoginCondition.USER_THROTTLED) {
            return Finding.fail(said + " (the user's hourly login limit)",
                    "run again after the hour, or with another test user");
        }
        if (failure.subjectRefusal() == SubjectRefusal.NOT_APPROVED) {
            return Finding.fail(said + " (user not approved for the app)", "set the app's Permitted Users to \"Admin "
                    + "approved users are pre-authorized\" and assign the user's profile or permission set to the app");
        }
        if (failure.subjectRefusal() == SubjectRefusal.HANDLER_REJECTED) {
            return Finding.fail(said + " (the Apex token exchange handler refused the IdP token)", "give a current IdP "
                    + "token of a user the handler maps to an active Salesforce user; check the handler's issuer and "
                    + "audience, and its message above");
        }
        return switch (failure.kind()) {
            case SUBJECT_REJECTED -> Finding.fail(said + " (the IdP token or its user)",
                    "give a current IdP token of an active user allowed to use the app");
            case GATEWAY_REJECTED -> Finding.fail(said + " (the registration or the app's set-up)",
                    gatewayFix(oauthError, failure.detail()));
            case UNAVAILABLE, TIMEOUT -> Finding.fail("token handler did not answer: " + failure.detail(),
                    "check that login-url (SF_LOGIN_URL) is reachable from here, then run again");
            case SESSION_UNACCEPTABLE -> Finding.fail("the gateway refuses Salesforce's answer: " + failure.detail(),
                    unacceptableFix(failure.detail()));
            default -> Finding.fail(said, "see the error above");
        };
    }

    private static String gatewayFix(String oauthError, String detail) {
        String code = oauthError == null ? "" : oauthError;
        String text = detail.toLowerCase(Locale.ROOT);
        return switch (code) {
            case "invalid_client" -> "client-secret (SF_CLIENT_SECRET) is not the app's Consumer Secret";
            case "invalid_client_id" -> "client-id (SF_CLIENT_ID) is not a Consumer Key of this org, or login-url "
                    + "names another org";
            case "unsupported_grant_type" -> "enable the token exchange flow in the app's OAuth settings, and check "
                    + "grant-type (SF_GRANT_TYPE)";
            case "invalid_scope" -> "ask only scopes the app has: scopes: [api] (SF_SCOPES=api), with api in the "
                    + "app's OAuth scopes";
            default -> text.contains("token handler not found")
                    ? "unknown handler: set token-handler (SF_TOKEN_HANDLER) to the handler's API name, or mark the "
                            + "app's handler as its default handler"
                    : text.contains("token type")
                    ? "set subject-token-type (SF_SUBJECT_TOKEN_TYPE) to a type the handler accepts"
                    : "compare the registration with the app's settings (docs/REAL-ORGS.md)";
        };
    }

    private static URI uri(String url) {
        try {
            return new URI(url);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static String origin(URI url, String raw) {
        if (url == null || url.getHost() == null) {
            return ExchangeFailure.sanitize(raw);
        }
        return url.getScheme() + "://" + url.getRawAuthority() + (url.getRawPath() == null ? "" : url.getRawPath());
    }
}
