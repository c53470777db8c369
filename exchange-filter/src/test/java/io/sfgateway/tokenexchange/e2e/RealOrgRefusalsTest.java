package io.sfgateway.tokenexchange.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What a caller sees when a real org refuses an exchange (docs/REAL-ORGS.md), each refusal
 * produced by the emulated org the way a real one produces it, through the running gateway.
 */
class RealOrgRefusalsTest extends RealOrgTestSupport {

    private static final String INVALID_TOKEN = "Bearer error=\"invalid_token\"";

    @Test
    void aHandlerRefusalIsTheCallersAndIsRemembered() {
        String subject = uniqueSubject("handler-refused");
        String token = "unmapped." + subject; // outside the handler's rule: it refuses the token
        SECRETS.add(token);
        double before = exchangeCount(metrics(), "real", "handler_rejected");
        long requests = ORG.counters().tokenRequests();

        get("real", token).expectStatus().isUnauthorized().expectHeader().valueEquals("WWW-Authenticate", INVALID_TOKEN);
        get("real", token).expectStatus().isUnauthorized();

        assertThat(ORG.counters().tokenRequests()).as("remembered: not sent again at once").isEqualTo(requests + 1);
        assertThat(exchangeCount(metrics(), "real", "handler_rejected")).isEqualTo(before + 1);
    }

    @Test
    void aHandlersOwnRefusalTextIsTheCallersToo() {
        ORG.policies().handlerRefusal("Employee badge revoked");
        get("real", "unmapped." + uniqueSubject("badge")).expectStatus().isUnauthorized()
                .expectHeader().valueEquals("WWW-Authenticate", INVALID_TOKEN);
    }

    @Test
    void noTokenHandlerAndNoDefaultHandlerIsTheGatewaysFault() {
        ORG.policies().defaultHandlerSet(false);
        String subject = uniqueSubject("no-default");
        get("nohandler", token(subject, 1)).expectStatus().isEqualTo(502);
        assertThat(ORG.counters().lastTokenForm()).doesNotContainKey("token_handler");
        // A registration that names its handler does not depend on the default.
        get("real", token(subject, 2)).expectStatus().isOk();

        ORG.policies().defaultHandlerSet(true);
        get("nohandler", token(subject, 3)).expectStatus().isOk();
    }

    @Test
    void anUnapprovedUserIs401WithItsOwnOutcomeAndOneHint() {
        String first = uniqueSubject("unapproved");
        String second = uniqueSubject("unapproved");
        ORG.policies().withholdApproval(first);
        ORG.policies().withholdApproval(second);
        double before = exchangeCount(metrics(), "real", "not_approved");

        get("real", token(first, 1)).expectStatus().isUnauthorized()
                .expectHeader().valueEquals("WWW-Authenticate", INVALID_TOKEN);
        get("real", token(second, 1)).expectStatus().isUnauthorized();

        assertThat(exchangeCount(metrics(), "real", "not_approved")).isEqualTo(before + 2);
        assertThat(LOGS.linesContaining("Permitted Users")).as("one hint, not one per refusal").hasSize(1);
        get("real", token(uniqueSubject("approved"), 1)).expectStatus().isOk();
    }

    @Test
    void anInactiveUserIs401() {
        String subject = uniqueSubject("inactive");
        ORG.policies().deactivate(subject);
        get("real", token(subject, 1)).expectStatus().isUnauthorized()
                .expectHeader().valueEquals("WWW-Authenticate", INVALID_TOKEN);
    }

    @Test
    void aScopeTheAppLacksIsTheGatewaysFault() {
        ORG.policies().appScopes(Set.of("web", "openid"));
        get("real", token(uniqueSubject("scope"), 1)).expectStatus().isEqualTo(502);
        ORG.policies().appScopes(Set.of("api", "web"));
        get("real", token(uniqueSubject("scope"), 1)).expectStatus().isOk();
    }

    @Test
    void anUnknownConsumerKeyIsTheGatewaysFault() {
        get("wrongclient", token(uniqueSubject("client"), 1)).expectStatus().isEqualTo(502);
    }

    @Test
    void theFlowNotEnabledOnTheAppIsTheGatewaysFault() {
        ORG.policies().tokenExchangeFlowEnabled(false);
        get("real", token(uniqueSubject("flow-off"), 1)).expectStatus().isEqualTo(502);
    }

    @Test
    void aUsersLoginLimitIsUnavailabilityForTheRestOfTheHourAndRemembered() {
        ORG.policies().loginRateLimit(1);
        String subject = uniqueSubject("busy");
        get("throttle", token(subject, 1)).expectStatus().isOk();
        String retryAfter = get("throttle", token(subject, 2)).expectStatus().isEqualTo(503)
                .returnResult(String.class).getResponseHeaders().getFirst("Retry-After");
        assertThat(Long.parseLong(retryAfter)).as("an hourly window, not a few seconds").isBetween(60L, 3600L);
        long requests = ORG.counters().tokenRequests();

        get("throttle", token(subject, 2)).expectStatus().isEqualTo(503).expectHeader().exists("Retry-After");
        assertThat(ORG.counters().tokenRequests()).as("remembered: no other failed login").isEqualTo(requests);
    }

    @Test
    void oneUsersLoginLimitNeverOpensTheBreakerForOtherUsers() {
        ORG.policies().loginRateLimit(1);
        String hammer = uniqueSubject("hammer");
        get("throttle", token(hammer, 1)).expectStatus().isOk();
        for (int n = 2; n <= 5; n++) { // new opaque tokens of one user: each a new cache key, each throttled
            get("throttle", token(hammer, n)).expectStatus().isEqualTo(503).expectHeader().exists("Retry-After");
        }

        get("throttle", token(uniqueSubject("bystander"), 1)).expectStatus().isOk();
        assertThat(circuitBreakers.circuitBreaker("salesforce-token-exchange-throttle").getState().name())
                .isEqualTo("CLOSED");
    }

    @Test
    void salesforcesTransientUnknownErrorIsUnavailabilityCountedByTheBreaker() {
        ORG.controls().tokenFault(io.sfgateway.emulator.TokenFault.UNKNOWN_ERROR); // 400 "retry your request"
        get("throttle", token(uniqueSubject("transient"), 1)).expectStatus().isEqualTo(503)
                .expectHeader().exists("Retry-After");
        get("throttle", token(uniqueSubject("transient"), 1)).expectStatus().isEqualTo(503);
        long requests = ORG.counters().tokenRequests();

        get("throttle", token(uniqueSubject("transient"), 1)).expectStatus().isEqualTo(503)
                .expectHeader().exists("Retry-After");
        assertThat(ORG.counters().tokenRequests()).as("breaker open: Salesforce not called").isEqualTo(requests);
        assertThat(circuitBreakers.circuitBreaker("salesforce-token-exchange-throttle").getState().name()).isEqualTo("OPEN");
    }

    @Test
    void aLoginOutsideTheIpRangesIsTheEnvironmentsWithItsOwnOutcomeAndOneHint() {
        String first = uniqueSubject("ip-restricted");
        String second = uniqueSubject("ip-restricted");
        ORG.policies().restrictIp(first);
        ORG.policies().restrictIp(second);
        double before = exchangeCount(metrics(), "iprange", "ip_restricted");

        // Not 401 invalid_token: no new token of the caller's would help, so the caller is not asked to log in again.
        get("iprange", token(first, 1)).expectStatus().isEqualTo(502).expectHeader().doesNotExist("WWW-Authenticate");
        get("iprange", token(second, 1)).expectStatus().isEqualTo(502);
        long requests = ORG.counters().tokenRequests();
        get("iprange", token(first, 1)).expectStatus().isEqualTo(502);
        assertThat(ORG.counters().tokenRequests()).as("remembered briefly, like a refusal").isEqualTo(requests);

        assertThat(exchangeCount(metrics(), "iprange", "ip_restricted")).isEqualTo(before + 2);
        assertThat(LOGS.linesContaining("Login IP Ranges")).as("one hint, not one per refusal").hasSize(1)
                .allMatch(line -> line.contains("Relax IP restrictions"));
        get("iprange", token(uniqueSubject("in-range"), 1)).expectStatus().isOk();
    }

    @Test
    void aHandlersTextThatReadsLikeAConfigurationErrorIsStillTheCallers() {
        ORG.policies().handlerRefusal("email claim is required");
        get("real", "unmapped." + uniqueSubject("no-email")).expectStatus().isUnauthorized()
                .expectHeader().valueEquals("WWW-Authenticate", INVALID_TOKEN);
    }

    @Test
    void theJwtShorthandSendsSalesforcesSpellingWhichTheOrgAccepts() {
        get("jwt", token(uniqueSubject("jwt"), 1)).expectStatus().isOk();
        assertThat(ORG.counters().lastTokenForm()).containsEntry("subject_token_type", "urn:ietf:params:oauth:token-type:JWT");
        // RFC 8693's lower-case spelling is not a value Salesforce documents: a configuration error.
        get("jwtlower", token(uniqueSubject("jwt"), 1)).expectStatus().isEqualTo(502);
    }

    @Test
    void theSixthRefreshTokenExchangeRevokesTheOldestSessionAndTheCallerStaysWhole() {
        String subject = uniqueSubject("approvals");
        get("refresh", token(subject, 1)).expectStatus().isOk();
        String oldest = lastSession();
        for (int n = 2; n <= 6; n++) {
            get("refresh", token(subject, n)).expectStatus().isOk();
            lastSession();
        }
        assertThat(ORG.counters().exchanges(subject)).isEqualTo(6);
        // Salesforce revoked the first approval with its session...
        client.get().uri(ORG.baseUrl() + LIMITS).header("Authorization", "Bearer " + oldest).exchange()
                .expectStatus().isUnauthorized()
                .expectBody(String.class).value(body -> assertThat(body).contains("INVALID_SESSION_ID"));
        // ...so the gateway's cached copy is stale: the caller is still served, at the cost of another exchange.
        get("refresh", token(subject, 1)).expectStatus().isOk();
        assertThat(ORG.counters().exchanges(subject)).isEqualTo(7);
    }

    @Test
    void noScopesMeansEveryScopeOfTheAppRefreshTokenIncludedSoTheSixthExchangeRevokesTheOldest() {
        String subject = uniqueSubject("no-scopes");
        get("noscopes", token(subject, 1)).expectStatus().isOk();
        assertThat(ORG.counters().lastTokenForm()).doesNotContainKey("scope");
        String oldest = lastSession();
        for (int n = 2; n <= 6; n++) {
            get("noscopes", token(subject, n)).expectStatus().isOk();
            lastSession();
        }
        // The app has refresh_token, so each exchange was an approval, and the sixth revoked the first session...
        client.get().uri(ORG.baseUrl() + LIMITS).header("Authorization", "Bearer " + oldest).exchange()
                .expectStatus().isUnauthorized();
        // ...which the caller does not see, at the cost of another exchange.
        get("noscopes", token(subject, 1)).expectStatus().isOk();
        assertThat(ORG.counters().exchanges(subject)).isEqualTo(7);

        // An app without refresh_token: the same configuration revokes nothing.
        ORG.policies().appScopes(Set.of("api", "web"));
        String calm = uniqueSubject("no-scopes-calm");
        get("noscopes", token(calm, 1)).expectStatus().isOk();
        String first = lastSession();
        for (int n = 2; n <= 6; n++) {
            get("noscopes", token(calm, n)).expectStatus().isOk();
        }
        client.get().uri(ORG.baseUrl() + LIMITS).header("Authorization", "Bearer " + first).exchange()
                .expectStatus().isOk();
    }

    @Test
    void withoutTheRefreshTokenScopeSessionsAreNotRevoked() {
        String subject = uniqueSubject("no-approvals");
        get("real", token(subject, 1)).expectStatus().isOk();
        String first = lastSession();
        for (int n = 2; n <= 7; n++) {
            get("real", token(subject, n)).expectStatus().isOk();
        }
        client.get().uri(ORG.baseUrl() + LIMITS).header("Authorization", "Bearer " + first).exchange()
                .expectStatus().isOk();
    }
}
