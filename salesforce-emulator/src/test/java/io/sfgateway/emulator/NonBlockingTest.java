package io.sfgateway.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.test.StepVerifier;

/**
 * BlockHound guards this module's tests: these show that it is installed, that it watches the emulator's own
 * event loops, and that a concurrent burst of exchanges and REST calls runs clean under it.
 */
class NonBlockingTest extends EmulatorTestBase {

    private static final AtomicReference<Throwable> RULE_FAILURE = new AtomicReference<>();

    private final ConnectionProvider pool = ConnectionProvider.builder("non-blocking-test").maxConnections(100)
            .pendingAcquireMaxCount(-1).build();
    private final HttpClient client = HttpClient.create(pool);

    @Override
    protected EmulatorConfig config() {
        return EmulatorConfig.builder()
                .autoProvisionUsers(true)
                .opaqueTokenRule(token -> {
                    if (token.equals("sleepy")) {
                        try {
                            Thread.sleep(1); // must be caught by BlockHound: this runs on an event loop
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        } catch (Throwable t) {
                            RULE_FAILURE.set(t);
                            throw t;
                        }
                    }
                    return OpaqueTokenRule.defaultRule().subjectOf(token);
                })
                .build();
    }

    @AfterAll
    void closePool() {
        pool.disposeLater().block(Duration.ofSeconds(5));
    }

    @Test
    void blockHoundIsInstalled() {
        StepVerifier.create(Mono.fromCallable(() -> {
            Thread.sleep(1);
            return "slept";
        }).subscribeOn(Schedulers.parallel()))
                .expectError(BlockingOperationError.class)
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void blockingOnAnEmulatorEventLoopIsDetected() {
        RULE_FAILURE.set(null);
        Http.Response response = exchange(Exchanges.form("sleepy"));
        assertThat(RULE_FAILURE.get()).isInstanceOf(BlockingOperationError.class);
        assertThat(response.status()).isEqualTo(500);
    }

    private Mono<Integer> exchangeAndCall(String subjectToken) {
        return client.headers(h -> h.set("Content-Type", "application/x-www-form-urlencoded"))
                .post().uri(sf.tokenEndpoint())
                .send(ByteBufFlux.fromString(Mono.just(Http.form(Exchanges.form(subjectToken)))))
                .responseSingle((response, body) -> body.asString())
                .map(body -> tools.jackson.databind.json.JsonMapper.shared().readTree(body).get("access_token")
                        .asString())
                .flatMap(session -> client.headers(h -> h.set("Authorization", "Bearer " + session))
                        .get().uri(sf.baseUrl() + "/services/data/v65.0/query?q=SELECT+Id+FROM+Contact")
                        .responseSingle((response, body) -> body.then(Mono.just(response.status().code()))));
    }

    @Test
    void concurrentBurstRunsCleanUnderBlockHound() {
        RULE_FAILURE.set(null);
        int subjects = 200;
        StepVerifier.create(Flux.fromStream(IntStream.range(0, subjects).mapToObj(i -> "opaque:user-" + i))
                        .flatMap(this::exchangeAndCall, 64)
                        .collectList())
                .assertNext(statuses -> assertThat(statuses).hasSize(subjects).containsOnly(200))
                .expectComplete()
                .verify(Duration.ofSeconds(30));
        assertThat(sf.counters().totalExchanges()).isEqualTo(subjects);
        assertThat(sf.counters().maxExchangesPerSubject()).isEqualTo(1);
        assertThat(sf.counters().restCalls()).isEqualTo(subjects);
        assertThat(sf.liveSessions()).isEqualTo(subjects);
        assertThat(Optional.ofNullable(RULE_FAILURE.get())).isEmpty();
    }
}
