package io.sfgateway.tokenexchange.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11 item 3: the session goes to Salesforce's API paths only. Dot segments in any encoding
 * are refused with 400 and paths outside the session paths with 404, before any exchange and
 * whatever the route's predicate matched. Raw sockets: HTTP clients normalise such paths.
 */
class RestSurfaceTest extends ForwardingTestSupport {

    @ParameterizedTest
    @ValueSource(strings = {
            "/services/data/../../secur/frontdoor.jsp?x=1",
            "/services/data/v62.0/../../../services/oauth2/singleaccess",
            "/services/data/%2e%2e/%2e%2e/services/oauth2/revoke",
            "/services/data/%2E%2e/%2E./secur/frontdoor.jsp",
            "/services/data/..%2f..%2fsecur%2ffrontdoor.jsp",
            "/services/data/..%2F..%2Fsecur%2Ffrontdoor.jsp",
            "/services/apexrest/..;/..;/cometd/62.0",
            "/services/data/./v62.0/limits",
            "/services/data/v62.0/%2e/limits",
            "/services/data/..%5c..%5csecur%5cfrontdoor.jsp",
            "/services/data/..\\..\\secur\\frontdoor.jsp",
            "/services/data/%252e%252e/%252e%252e/secur/frontdoor.jsp",
            "/services/data/%c0%ae%c0%ae/secur/frontdoor.jsp",
            "/broad/services/data/../../secur/frontdoor.jsp"})
    void dotSegmentsInAnyEncodingAre400WithoutAnExchange(String path) throws Exception {
        String subject = uniqueSubject("dots");
        String token = mint(subject);
        long restCalls = ORG.counters().restCalls();

        assertThat(rawStatusLine("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                + "\r\nConnection: close")).startsWith("HTTP/1.1 400");
        assertThat(ORG.counters().exchanges(subject)).as("no exchange").isZero();
        assertThat(ORG.counters().restCalls()).as("no REST call").isEqualTo(restCalls);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/broad/secur/frontdoor.jsp?sid=x",
            "/broad/services/oauth2/singleaccess",
            "/broad/services/oauth2/revoke",
            "/broad/services/oauth2/userinfo",
            "/broad/cometd/62.0",
            "/broad/services/data",
            "/broad/SERVICES/DATA/v62.0/limits",
            "/broad/services/async/62.0/job", // Bulk API 1.0: opt-in
            "/broad/services/Soap/u/62.0", // SOAP: opt-in
            "/services/oauth2/userinfo",
            "/services/dat%61/v62.0/limits"})
    void pathsOutsideTheSessionPathsNeverGetTheSession(String path) throws Exception {
        String subject = uniqueSubject("outside");
        String token = mint(subject);
        long restCalls = ORG.counters().restCalls();

        assertThat(rawStatusLine("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                + "\r\nConnection: close")).startsWith("HTTP/1.1 404");
        assertThat(ORG.counters().exchanges(subject)).as("no exchange").isZero();
        assertThat(ORG.counters().restCalls()).as("no REST call").isEqualTo(restCalls);
    }

    @Test
    void theRefusalsAreSmallFixedJson() {
        String token = mint(uniqueSubject("refusal-body"));
        client.get().uri("/broad/secur/frontdoor.jsp").header("Authorization", "Bearer " + token).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType("application/json")
                .expectBody(String.class).value(body -> assertThat(body).startsWith("{\"error\":\"not_found\"")
                        .doesNotContain("frontdoor"));
    }

    @Test
    void everySessionPathStillWorksThroughABroadRoute() {
        String subject = uniqueSubject("broad");
        String token = mint(subject);
        get("/broad/services/data/v62.0/limits", token).expectStatus().isOk();
        client.post().uri("/broad/services/apexrest/echo").header("Authorization", "Bearer " + token)
                .bodyValue("{}").header("Content-Type", "application/json").exchange()
                .expectStatus().is2xxSuccessful();
        assertThat(ORG.counters().lastRestRequest().path()).isEqualTo("/services/apexrest/echo");
        assertThat(ORG.counters().exchanges(subject)).isEqualTo(1);
    }
}
