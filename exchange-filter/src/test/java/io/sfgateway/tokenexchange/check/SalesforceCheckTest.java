package io.sfgateway.tokenexchange.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfgateway.emulator.EmulatorConfig;
import io.sfgateway.emulator.SalesforceEmulator;
import io.sfgateway.emulator.TokenFault;
import io.sfgateway.tokenexchange.exchange.ExchangeSettings;
import io.sfgateway.tokenexchange.exchange.TokenClient;
import io.sfgateway.tokenexchange.exchange.TokenRequest;
import io.sfgateway.tokenexchange.exchange.InstanceUrlAllowlist;
import io.sfgateway.tokenexchange.config.TokenEndpointClients;
import io.sfgateway.tokenexchange.exchange.TokenExchanger;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;

/**
 * {@link SalesforceCheck} against the emulated org in each state it models: a well-configured
 * registration passes, and each misconfiguration the check recognises is named with its fix. No
 * report holds the IdP token, the client secret or the session.
 */
class SalesforceCheckTest {

    private static final String CLIENT_ID = "demo-client";
    private static final String CLIENT_SECRET = "demo-secret";
    private static final String ACCESS_TOKEN_TYPE = ExchangeSettings.TOKEN_TYPE_PREFIX + "access_token";

    static final SalesforceEmulator ORG = SalesforceEmulator.start(EmulatorConfig.builder().build());
    static final TokenEndpointClients CLIENT = TokenEndpointClients.of(HttpClient.create()
            .responseTimeout(Duration.ofSeconds(5)).followRedirect(false), 64 * 1024);

    String idpToken;

    @BeforeEach
    void reset() {
        ORG.reset();
        idpToken = ORG.idp().mintToken("alice", EmulatorConfig.DEFAULT_AUDIENCE);
    }

    @AfterAll
    static void stop() {
        ORG.close();
    }

    @Test
    void aWellConfiguredRegistrationPasses() {
        ORG.apiAllocation().limit(15_000);
        ORG.apiAllocation().usage(10);

        CheckReport report = run(settings(ORG.baseUrl(), CLIENT_SECRET, "api", null, ORG.baseUrl()), idpToken);

        assertThat(report.passed()).as(report.toString()).isTrue();
        assertThat(report.lines()).containsExactly(
                "Salesforce check of registration 'sandbox' (token endpoint " + ORG.tokenEndpoint() + ")",
                "ok    token handler answered: a session for user 005000000000001AAA of org 00D000000000001AAA",
                "ok    scopes granted: api",
                "ok    no refresh_token came back",
                "ok    token_format: opaque, which lives for the org's session timeout",
                "ok    site fields: none (sfdc_site_url and sfdc_community_url absent: not an Experience Cloud site "
                        + "member)",
                "ok    REST goes to " + ORG.baseUrl() + " (instance_url)",
                "ok    that REST host is in instance-url-allowlist",
                "ok    REST host took the session: GET /services/data/ 200 (newest v65.0), GET /services/data/v65.0 200",
                "ok    API usage: api-usage=11/15000 (0.1 % of the org's daily allocation)",
                "PASSED");
        assertNoSecretIn(report);
    }

    @Test
    void omittedScopesAndARefreshTokenAreWarnedWithTheFix() {
        CheckReport report = run(settings(ORG.baseUrl(), CLIENT_SECRET, null, null, ORG.baseUrl()), idpToken);

        assertThat(report.passed()).isFalse();
        assertThat(String.join("\n", report.lines()))
                .contains("WARN  the registration asks no scope, so Salesforce grants every scope the app has")
                .contains("      fix: set scopes: [api] (SF_SCOPES=api)")
                .contains("ok    scopes granted: api offline_access openid refresh_token web")
                .contains("WARN  a refresh_token came back: a long-lived credential the gateway never uses")
                .contains("fix: " + ExchangeFindings.REFRESH_TOKEN_FIX)
                .contains("ok    REST host took the session");
        assertThat(report.lines().get(report.lines().size() - 1)).isEqualTo("FAILED: 2 problems");
        assertNoSecretIn(report);
    }

    @Test
    void aRefreshTokenScopeAskedByTheRegistrationIsWarned() {
        CheckReport report = run(settings(ORG.baseUrl(), CLIENT_SECRET, "api refresh_token", null, ORG.baseUrl()),
                idpToken);

        assertThat(report.passed()).isFalse();
        assertThat(String.join("\n", report.lines()))
                .contains("ok    scopes granted: api refresh_token")
                .contains("WARN  a refresh_token came back")
                .doesNotContain("asks no scope");
    }

    @Test
    void aSiteOnAHostOutsideTheAllowlistFailsBeforeAnyRestCall() {
        String site = ORG.serveSiteOn("127.0.0.2") + "/partners";
        ORG.policies().sitePrefix("/partners");

        CheckReport report = run(settings(site, CLIENT_SECRET, "api", null, ORG.baseUrl()), idpToken);

        assertThat(report.passed()).isFalse();
        assertThat(String.join("\n", report.lines()))
                .contains("ok    token handler answered with a session")
                .contains("ok    site fields: sfdc_site_url " + site + " (instance_url " + ORG.baseUrl()
                        + " is not called)")
                .contains("ok    REST goes to " + site + " (sfdc_site_url)")
                .contains("FAIL  that REST host is not in instance-url-allowlist")
                .contains("fix: add " + site + " to instance-url-allowlist (SF_INSTANCE_URL_ALLOWLIST); "
                        + "instance_url, the org's own host, need not be in it");
        assertThat(ORG.counters().restCalls()).as("the session is never sent to a host outside the allowlist").isZero();
        assertNoSecretIn(report);
    }

    @Test
    void aSiteInTheAllowlistPasses() {
        String site = ORG.serveSiteOn("127.0.0.2") + "/partners";
        ORG.policies().sitePrefix("/partners");

        CheckReport report = run(settings(site, CLIENT_SECRET, "api", null, site), idpToken);

        assertThat(report.passed()).as(report.toString()).isTrue();
        assertThat(String.join("\n", report.lines())).contains("ok    REST host took the session");
    }

    @Test
    void anIpRestrictionIsNamedWithTheFix() {
        ORG.policies().restrictIp("alice");

        CheckReport report = run(settings(ORG.baseUrl(), CLIENT_SECRET, "api", null, ORG.baseUrl()), idpToken);

        assertThat(report.passed()).isFalse();
        assertThat(report.lines()).contains(
                "FAIL  token handler refused: HTTP 400 invalid_grant: ip restricted or invalid login hours "
                        + "(IP restriction or login hours)");
        assertThat(String.join("\n", report.lines())).contains("\"Relax IP restrictions\"");
        assertThat(ORG.counters().restCalls()).isZero();
    }

    @Test
    void aWrongClientSecretIsNamedWithoutShowingIt() {
        String wrong = "not-the-consumer-secret-4711";

        CheckReport report = run(settings(ORG.baseUrl(), wrong, "api", null, ORG.baseUrl()), idpToken);

        assertThat(report.passed()).isFalse();
        assertThat(report.lines()).contains(
                "FAIL  token handler refused: HTTP 400 invalid_client: invalid client credentials "
                        + "(the registration or the app's set-up)",
                "      fix: client-secret (SF_CLIENT_SECRET) is not the app's Consumer Secret");
        assertThat(report.toString()).doesNotContain(wrong);
        assertNoSecretIn(report);
    }

    @Test
    void anUnknownHandlerIsNamedWithTheFix() {
        CheckReport report = run(settings(ORG.baseUrl(), CLIENT_SECRET, "api", "NoSuchHandler", ORG.baseUrl()),
                idpToken);

        assertThat(report.passed()).isFalse();
        assertThat(String.join("\n", report.lines()))
                .contains("FAIL  token handler refused: HTTP 400 invalid_request: token handler not found")
                .contains("fix: unknown handler: set token-handler (SF_TOKEN_HANDLER) to the handler's API name");
    }

    @Test
    void aTokenTheHandlerRefusesIsTheCallersNotTheRegistrations() {
        CheckReport report = run(settings(ORG.baseUrl(), CLIENT_SECRET, "api", null, ORG.baseUrl()),
                "not-a-valid-token");

        assertThat(report.passed()).isFalse();
        assertThat(String.join("\n", report.lines()))
                .contains("FAIL  token handler refused: HTTP 400 invalid_request: token handler validation failed "
                        + "(the Apex token exchange handler refused the IdP token)");
    }

    @Test
    void otherRefusalsOfTheOrgsSetUpAreNamedWithTheirFix() {
        ExchangeSettings settings = settings(ORG.baseUrl(), CLIENT_SECRET, "api", null, ORG.baseUrl());
        ORG.policies().withholdApproval("alice");
        assertThat(String.join("\n", run(settings, idpToken).lines()))
                .contains("(user not approved for the app)", "fix: set the app's Permitted Users to \"Admin approved "
                        + "users are pre-authorized\"");
        ORG.reset();
        ORG.policies().tokenExchangeFlowEnabled(false);
        assertThat(String.join("\n", run(settings, idpToken).lines()))
                .contains("unsupported_grant_type", "fix: enable the token exchange flow in the app's OAuth settings");
        ORG.reset();
        ORG.policies().appScopes(java.util.Set.of("web"));
        assertThat(String.join("\n", run(settings, idpToken).lines()))
                .contains("invalid_scope", "fix: ask only scopes the app has: scopes: [api] (SF_SCOPES=api)");
        ORG.reset();
        ORG.policies().deactivate("alice");
        assertThat(String.join("\n", run(settings, idpToken).lines()))
                .contains("inactive_user", "(the IdP token or its user)");
    }

    @Test
    void anAnswerTheClientSecretDoesNotSignIsRefusedWithTheFix() {
        ORG.controls().tokenFault(TokenFault.WRONG_SIGNATURE);

        CheckReport report = run(settings(ORG.baseUrl(), CLIENT_SECRET, "api", null, ORG.baseUrl()), idpToken);

        assertThat(report.passed()).isFalse();
        assertThat(report.lines()).contains(
                "FAIL  the gateway refuses Salesforce's answer: signature does not match id + issued_at",
                "      fix: client-secret (SF_CLIENT_SECRET) does not sign Salesforce's answer: give the app's current "
                        + "Consumer Secret");
        assertThat(ORG.counters().restCalls()).isZero();
    }

    @Test
    void aJwtBasedTokenIsReportedByItsExpiryNeverItself() {
        ORG.policies().jwtAccessTokens(Duration.ofMinutes(30));

        CheckReport report = run(settings(ORG.baseUrl(), CLIENT_SECRET, "api", null, ORG.baseUrl()), idpToken);

        assertThat(report.passed()).as(report.toString()).isTrue();
        assertThat(String.join("\n", report.lines()))
                .containsPattern("ok    token_format: jwt, expires at \\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z \\(30 min after issue\\)");
        assertNoSecretIn(report);
    }

    @Test
    void anUnreachableTokenEndpointIsReportedAsNoAnswer() {
        CheckReport report = run(settings("http://127.0.0.1:1", CLIENT_SECRET, "api", null, ORG.baseUrl()), idpToken);

        assertThat(report.passed()).isFalse();
        assertThat(String.join("\n", report.lines()))
                .contains("FAIL  token handler did not answer: token endpoint unreachable")
                .contains("fix: check that login-url (SF_LOGIN_URL) is reachable from here");
    }

    private CheckReport run(ExchangeSettings settings, String subjectToken) {
        CheckReport[] report = new CheckReport[1];
        StepVerifier.create(new SalesforceCheck(new TokenExchanger(CLIENT.transport(), settings, Clock.systemUTC()), CLIENT.web()).run(subjectToken))
                .consumeNextWith(next -> report[0] = next)
                .expectComplete()
                .verify(Duration.ofSeconds(15));
        return report[0];
    }

    /** Neither the IdP token, the client secret nor any session the emulator issued appears in the report. */
    private void assertNoSecretIn(CheckReport report) {
        String text = report.toString();
        assertThat(text).doesNotContain(idpToken).doesNotContain(CLIENT_SECRET).doesNotContain("Bearer");
        if (ORG.counters().lastRestRequest() != null) {
            String authorization = ORG.counters().lastRestRequest().header("Authorization");
            assertThat(text).doesNotContain(authorization.substring("Bearer ".length()));
        }
        assertThat(text).doesNotContainIgnoringCase("signature=");
    }

    private static ExchangeSettings settings(String loginUrl, String secret, String scope, String handler,
            String allowed) {
        return new ExchangeSettings("sandbox",
                new TokenClient(URI.create(loginUrl + "/services/oauth2/token"), CLIENT_ID, secret),
                new TokenRequest(ExchangeSettings.TOKEN_EXCHANGE, ACCESS_TOKEN_TYPE, scope, handler),
                InstanceUrlAllowlist.of(List.of(allowed)));
    }
}
