package io.sfgateway.emulator;

import static io.sfgateway.emulator.Exchanges.form;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/** Injected faults and latency at the token endpoint. */
class TokenFaultTest extends EmulatorTestBase {

    private final ConnectionProvider pool = ConnectionProvider.builder("fault-test").maxConnections(100).build();
    private final HttpClient reactive = HttpClient.create(pool);

    @AfterAll
    void closePool() {
        pool.disposeLater().block(Duration.ofSeconds(5));
    }

    /** One exchange through Reactor Netty's client: status and body. */
    private Mono<String> reactiveExchange(String subjectToken) {
        return reactive.headers(h -> h.set("Content-Type", "application/x-www-form-urlencoded"))
                .post().uri(sf.tokenEndpoint())
                .send(ByteBufFlux.fromString(Mono.just(Http.form(form(subjectToken)))))
                .responseSingle((response, body) -> body.asString().defaultIfEmpty("")
                        .map(text -> response.status().code() + " " + text));
    }

    private void assertError(TokenFault fault, int status, String error) {
        sf.controls().tokenFault(fault);
        Http.Response response = exchange(form(aliceToken()));
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.json().get("error").asString()).isEqualTo(error);
        assertThat(sf.counters().totalExchanges()).isZero();
        assertThat(sf.counters().tokenRequests()).isEqualTo(1);
    }

    @Test
    void invalidGrantFault() {
        assertError(TokenFault.INVALID_GRANT, 400, "invalid_grant");
    }

    @Test
    void invalidClientFault() {
        assertError(TokenFault.INVALID_CLIENT, 400, "invalid_client");
    }

    @Test
    void serverErrorFault() {
        assertError(TokenFault.SERVER_ERROR, 500, "server_error");
    }

    @Test
    void unavailableFault() {
        assertError(TokenFault.UNAVAILABLE, 503, "temporarily_unavailable");
    }

    @Test
    void nonJsonFault() {
        sf.controls().tokenFault(TokenFault.NON_JSON);
        Http.Response response = exchange(form(aliceToken()));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("text/html");
        assertThat(response.body()).startsWith("<html>").endsWith("</html>");
        assertThat(sf.counters().totalExchanges()).isZero();
    }

    @Test
    void instanceUrlOutsideFault() {
        sf.controls().tokenFault(TokenFault.INSTANCE_URL_OUTSIDE);
        JsonNode body = exchange(form(aliceToken())).json();
        assertThat(body.get("instance_url").asString()).isEqualTo("https://evil.example.com");
        assertThat(body.get("access_token").asString()).isNotBlank();
        assertThat(sf.counters().exchanges("alice")).isEqualTo(1);
    }

    @Test
    void wrongSignatureFault() throws Exception {
        sf.controls().tokenFault(TokenFault.WRONG_SIGNATURE);
        JsonNode body = exchange(form(aliceToken())).json();
        String expected = TokenResponseTest.hmac("demo-secret", body.get("id").asString()
                + body.get("issued_at").asString());
        assertThat(body.get("signature").asString()).isNotBlank().isNotEqualTo(expected);
    }

    @Test
    void faultsOverrideInvalidRequestsToo() {
        sf.controls().tokenFault(TokenFault.SERVER_ERROR);
        assertThat(exchange(form("garbage")).status()).isEqualTo(500);
    }

    @Test
    void hangNeverAnswersUntilTheFaultIsCleared() {
        sf.controls().tokenFault(TokenFault.HANG);
        StepVerifier.create(reactiveExchange(aliceToken()))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(700))
                .thenCancel()
                .verify(Duration.ofSeconds(5));
        assertThat(sf.counters().tokenRequests()).isEqualTo(1);

        sf.controls().tokenFault(TokenFault.NONE);
        StepVerifier.create(reactiveExchange(aliceToken()))
                .assertNext(answer -> assertThat(answer).startsWith("200 "))
                .verifyComplete();
    }

    @Test
    void latencyDelaysEveryAnswer() {
        sf.controls().tokenLatency(Duration.ofMillis(400));
        long start = System.nanoTime();
        Http.Response ok = exchange(form(aliceToken()));
        long okMillis = (System.nanoTime() - start) / 1_000_000;
        start = System.nanoTime();
        Http.Response refused = exchange(form("garbage"));
        long refusedMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(ok.status()).isEqualTo(200);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(okMillis).isBetween(400L, 3_000L);
        assertThat(refusedMillis).isBetween(400L, 3_000L);

        sf.controls().tokenLatency(Duration.ZERO);
        start = System.nanoTime();
        exchange(form(aliceToken()));
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(400L);
    }

    @Test
    void latencyDoesNotHoldEventLoops() {
        // 64 requests delayed 500 ms each on an org with a few event loops: done in about 500 ms only if the
        // delay is scheduled, not slept (sleeping would also trip BlockHound, as would writing the delayed answers
        // from a non-event-loop thread).
        sf.controls().tokenLatency(Duration.ofMillis(500));
        List<String> tokens = IntStream.range(0, 64).mapToObj(i -> aliceToken()).toList();
        long start = System.nanoTime();
        StepVerifier.create(Flux.fromIterable(tokens).flatMap(this::reactiveExchange, 64).collectList())
                .assertNext(answers -> assertThat(answers).hasSize(64).allMatch(a -> a.startsWith("200 ")))
                .verifyComplete();
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(millis).isBetween(500L, 2_500L);
        assertThat(sf.counters().exchanges("alice")).isEqualTo(64);
    }
}
