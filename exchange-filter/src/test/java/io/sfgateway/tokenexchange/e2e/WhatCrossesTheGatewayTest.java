package io.sfgateway.tokenexchange.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.sfgateway.emulator.RecordedRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 item 8: the caller's cookies, Salesforce session headers and {@code access_token}
 * query parameters never reach Salesforce, and Salesforce's cookies never reach the caller.
 */
class WhatCrossesTheGatewayTest extends ForwardingTestSupport {

    private static final String QUERY = "/services/data/v62.0/query?q=SELECT+Id,Name+FROM+Account";

    @Test
    void cookiesSessionHeadersAndAccessTokensStayWithTheCaller() throws Exception {
        String token = mint(uniqueSubject("crossing"));
        String path = QUERY + "&access_token=" + token + "&ACCESS_TOKEN=x&access%5Ftoken=y&access%255Ftoken=z&limit=5";

        assertThat(rawStatusLine("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                + "\r\nCookie: sid=00Dcaller!session; BrowserId=b\r\nX-SFDC-Session: 00Dcaller!session"
                + "\r\nX-Kept: yes\r\nConnection: close")).startsWith("HTTP/1.1 200");

        RecordedRequest atSalesforce = ORG.counters().lastRestRequest();
        assertThat(atSalesforce.path()).isEqualTo("/services/data/v62.0/query");
        assertThat(atSalesforce.query()).isEqualTo("q=SELECT+Id,Name+FROM+Account&limit=5");
        assertThat(atSalesforce.header("Cookie")).isNull();
        assertThat(atSalesforce.header("X-SFDC-Session")).isNull();
        assertThat(atSalesforce.header("X-Kept")).isEqualTo("yes");
        assertThat(atSalesforce.toString() + atSalesforce.headers()).doesNotContain(token);
        SECRETS.add(atSalesforce.header("Authorization").substring("Bearer ".length()));
    }

    @Test
    void salesforcesCookiesStayWithSalesforce() {
        stubTokenEndpoint();
        STUB.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/services/data/v62.0/limits"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withHeader("Set-Cookie", "BrowserId=abc; Path=/; Secure")
                        .withHeader("Set-Cookie", "sid=00Dx!y; Path=/")
                        .withHeader("X-Kept", "yes")
                        .withBody("{\"DailyApiRequests\":{}}")));

        client.get().uri("/wire/services/data/v62.0/limits?access_token=abc")
                .header("Authorization", "Bearer " + opaqueToken("cookies"))
                .header("Cookie", "mine=1")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().doesNotExist("Set-Cookie")
                .expectHeader().valueEquals("X-Kept", "yes")
                .expectBody(String.class).isEqualTo("{\"DailyApiRequests\":{}}");

        List<LoggedRequest> calls = STUB.findAll(getRequestedFor(urlPathEqualTo("/services/data/v62.0/limits")));
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).getUrl()).isEqualTo("/services/data/v62.0/limits");
        assertThat(calls.get(0).containsHeader("Cookie")).isFalse();
    }
}
