package io.sfgateway.tokenexchange.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * Issue 11 item 2: only Salesforce's {@code INVALID_SESSION_ID} makes the gateway renew and
 * replay; an Apex REST resource's own 401, which comes after it did its work, goes back to the
 * caller untouched and the write runs once. Salesforce is WireMock here (the {@code wire} route).
 */
class ReplayOnlyOnDeadSessionTest extends ForwardingTestSupport {

    private static final String PAY = "/services/apexrest/pay";
    private static final String PAYMENT = "{\"amount\":100,\"currency\":\"EUR\"}";
    private static final String SESSION_ERROR =
            "[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]";

    @BeforeEach
    void salesforceOnTheStub() {
        stubTokenEndpoint();
    }

    @Test
    void anApexResourcesOwn401GoesBackUntouchedAndTheWriteRunsOnce() {
        String apexError = "[{\"errorCode\":\"NOT_AUTHORIZED\",\"message\":\"Payment refused by policy\"}]";
        STUB.stubFor(post(urlEqualTo(PAY)).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json;charset=UTF-8")
                .withHeader("X-Apex-Trace", "t-42")
                .withHeader("WWW-Authenticate", "Bearer realm=\"apex\"")
                .withBody(apexError)));

        client.post().uri("/wire" + PAY).header("Authorization", "Bearer " + opaqueToken("apex401"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(PAYMENT)
                .exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals("X-Apex-Trace", "t-42")
                .expectHeader().valueEquals("WWW-Authenticate", "Bearer realm=\"apex\"")
                .expectHeader().contentType("application/json;charset=UTF-8")
                .expectBody(String.class).isEqualTo(apexError);

        assertThat(STUB.findAll(postRequestedFor(urlEqualTo(PAY)))).as("the payment ran once").hasSize(1);
        assertThat(exchangesAtStub()).as("no renewal").isEqualTo(1);
    }

    @Test
    void aLong401BodyIsNotReadIntoMemoryAndStreamsBackWhole() {
        String longError = "[{\"errorCode\":\"NOT_AUTHORIZED\",\"message\":\"" + "x".repeat(40_000) + "\"}]";
        STUB.stubFor(post(urlEqualTo(PAY)).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json").withBody(longError).withChunkedDribbleDelay(8, 50)));

        client.post().uri("/wire" + PAY).header("Authorization", "Bearer " + opaqueToken("apex401long"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(PAYMENT)
                .exchange()
                .expectStatus().isUnauthorized()
                .expectBody(String.class).isEqualTo(longError);
        assertThat(STUB.findAll(postRequestedFor(urlEqualTo(PAY)))).hasSize(1);
        assertThat(exchangesAtStub()).isEqualTo(1);
    }

    @Test
    void aLongBodyStartingLikeASessionErrorIsNotOne() {
        String padded = SESSION_ERROR.replace("]", "," + "{\"errorCode\":\"X\"},".repeat(1_000) + "{}]");
        STUB.stubFor(post(urlEqualTo(PAY)).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json").withBody(padded)));

        client.post().uri("/wire" + PAY).header("Authorization", "Bearer " + opaqueToken("apex401padded"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(PAYMENT)
                .exchange()
                .expectStatus().isUnauthorized()
                .expectBody(String.class).isEqualTo(padded);
        assertThat(STUB.findAll(postRequestedFor(urlEqualTo(PAY)))).as("only the first few KB are read").hasSize(1);
    }

    @Test
    void salesforcesSessionErrorIsRenewedAndReplayedOnceWithItsBody() {
        STUB.stubFor(post(urlEqualTo(PAY)).inScenario("dead session").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withHeader("WWW-Authenticate", "Token").withHeader("Set-Cookie", "first=1")
                        .withBody(SESSION_ERROR))
                .willSetStateTo("renewed"));
        STUB.stubFor(post(urlEqualTo(PAY)).inScenario("dead session").whenScenarioStateIs("renewed")
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withHeader("Set-Cookie", "BrowserId=abc; Path=/").withBody("{\"id\":\"a01\"}")));

        client.post().uri("/wire" + PAY).header("Authorization", "Bearer " + opaqueToken("dead-session"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(PAYMENT)
                .exchange()
                .expectStatus().isCreated()
                .expectHeader().doesNotExist("Set-Cookie")
                .expectHeader().doesNotExist("WWW-Authenticate")
                .expectBody(String.class).isEqualTo("{\"id\":\"a01\"}");

        assertThat(STUB.findAll(postRequestedFor(urlEqualTo(PAY)).withRequestBody(equalTo(PAYMENT))))
                .as("sent, refused unrun, replayed with its body").hasSize(2);
        assertThat(exchangesAtStub()).as("the exchange and the renewal").isEqualTo(2);
    }
}
