package io.sfgateway.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Issue 20's acceptance, with the production jar as its own process against the emulated org: a
 * replica that has just become ready answers 50 concurrent first requests of 50 new subjects with
 * no 503, at an exchange timeout of 1 s (the figure; the product's default is 3 s, and
 * nothing else is set beyond the org's own variables).
 */
class ReadyMeansReadyIT {

    private static final String QUERY = "/services/data/v62.0/query?q=SELECT+Id,Name+FROM+Account";
    private static final int SUBJECTS = 50;

    @Test
    void aReplicaThatHasJustBecomeReadyAnswersFiftyConcurrentFirstRequestsOfNewSubjects() {
        ConnectionProvider pool = ConnectionProvider.builder("ready-it").maxConnections(SUBJECTS).build();
        HttpClient http = HttpClient.create(pool).responseTimeout(Duration.ofSeconds(10));
        GatewayProcess gateway = null;
        try (EmulatedOrg org = new EmulatedOrg(true)) {
            Map<String, String> variables = new LinkedHashMap<>(org.variables());
            variables.put("SALESFORCE_TOKENEXCHANGE_EXCHANGE_TIMEOUT", "1s");
            Map<String, String> tokens = new LinkedHashMap<>();
            String run = Long.toHexString(System.nanoTime());
            for (int i = 0; i < SUBJECTS; i++) {
                tokens.put("ready-" + run + "-" + i, org.token("ready-" + run + "-" + i));
            }
            gateway = GatewayProcess.start("ready-means-ready", variables);
            String readiness = "http://127.0.0.1:" + gateway.managementPort + "/actuator/health/readiness";
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
                    .until(() -> status(http.get().uri(readiness)).block(Duration.ofSeconds(10)) == 200);

            AtomicReference<String> firstError = new AtomicReference<>();
            String url = "http://127.0.0.1:" + gateway.port + QUERY;
            List<Integer> statuses = Flux.fromIterable(tokens.values())
                    .flatMap(token -> Mono.defer(() -> status(http.headers(headers -> headers.set("Authorization",
                            "Bearer " + token)).get().uri(url))), SUBJECTS)
                    .doOnNext(status -> {
                        if (status != 200) {
                            firstError.compareAndSet(null, "status " + status);
                        }
                    })
                    .collectList().block(Duration.ofSeconds(30));

            assertThat(statuses).as("first error: %s; see %s's log", firstError.get(), gateway.name)
                    .hasSize(SUBJECTS).doesNotContain(503).containsOnly(200);
            assertThat(tokens.keySet()).allSatisfy(subject ->
                    assertThat(org.emulator().counters().exchanges(subject)).as(subject).isEqualTo(1));
            assertThat(gateway.log()).containsPattern("Ready for traffic: warm-up took \\d+ ms");
        } finally {
            if (gateway != null) {
                gateway.stop();
            }
            pool.dispose();
        }
    }

    private static Mono<Integer> status(HttpClient.ResponseReceiver<?> request) {
        return request.responseSingle((response, body) -> body.then(Mono.just(response.status().code())))
                .onErrorReturn(-1);
    }
}
