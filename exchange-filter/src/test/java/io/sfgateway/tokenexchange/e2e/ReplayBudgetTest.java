package io.sfgateway.tokenexchange.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Issue 11 item 10 (the replay buffer): request bodies kept for a replay share one global budget
 * ({@value #REPLAY_BUDGET_KB} KB in this rig). While one 200 KB body is held, a second one does not
 * fit: it is streamed and its 401 goes back unreplayed; once the first is done, the budget is back.
 */
class ReplayBudgetTest extends ForwardingTestSupport {

    private static final String HOLD = "/services/apexrest/hold";
    private static final String DEAD = "/services/apexrest/dead";
    private static final String BODY = "{\"blob\":\"" + "b".repeat(200 * 1024) + "\"}";
    private static final String SESSION_ERROR =
            "[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]";

    @Test
    void aBodyOverTheRemainingBudgetStreamsAndIsNotReplayed() throws Exception {
        stubTokenEndpoint();
        STUB.stubFor(post(urlEqualTo(HOLD)).willReturn(aResponse().withStatus(200).withFixedDelay(2_500)
                .withHeader("Content-Type", "application/json").withBody("{}")));
        STUB.stubFor(post(urlEqualTo(DEAD)).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json").withBody(SESSION_ERROR)));

        CompletableFuture<HttpStatus> held = WebClient.create("http://127.0.0.1:" + port).post().uri("/wire" + HOLD)
                .header("Authorization", "Bearer " + opaqueToken("holder"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(BODY)
                .exchangeToMono(response -> response.releaseBody().thenReturn(HttpStatus.valueOf(response.statusCode().value())))
                .toFuture();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (STUB.findAll(postRequestedFor(urlEqualTo(HOLD))).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(STUB.findAll(postRequestedFor(urlEqualTo(HOLD)))).as("the first body is held").hasSize(1);

        postDead("over-budget").expectBody(String.class).isEqualTo(SESSION_ERROR);
        assertThat(STUB.findAll(postRequestedFor(urlEqualTo(DEAD)))).as("streamed, not replayed").hasSize(1);
        assertThat(held.get()).isEqualTo(HttpStatus.OK);

        postDead("within-budget");
        assertThat(STUB.findAll(postRequestedFor(urlEqualTo(DEAD)))).as("the budget is back: replayed").hasSize(3);
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec postDead(String name) {
        return client.post().uri("/wire" + DEAD).header("Authorization", "Bearer " + opaqueToken(name))
                .contentType(MediaType.APPLICATION_JSON).bodyValue(BODY)
                .exchange()
                .expectStatus().isUnauthorized();
    }
}
