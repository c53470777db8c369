package io.sfgateway.tokenexchange.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfgateway.emulator.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/** Contract §3 and §5: what Salesforce receives, and one exchange per subject. */
class ExchangeFlowTest extends GatewayTestSupport {

    private static final String QUERY = "/services/data/v62.0/query?q=SELECT+Id,Name+FROM+Account";

    @Test
    void exchangesTheCallersTokenAndForwardsWithTheSalesforceSession() {
        String subject = uniqueSubject("alice");
        String idpToken = mint(subject);

        get(QUERY, idpToken).expectStatus().isOk()
                .expectBody().jsonPath("$.records").isArray().jsonPath("$.totalSize").isNumber();

        Map<String, String> form = lastForm(ORG);
        assertThat(form).containsEntry("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange")
                .containsEntry("subject_token", idpToken)
                .containsEntry("subject_token_type", "urn:ietf:params:oauth:token-type:access_token")
                .containsEntry("client_id", CLIENT_ID)
                .containsEntry("client_secret", CLIENT_SECRET)
                .containsEntry("scope", "api")
                .containsEntry("token_handler", HANDLER)
                .hasSize(7);

        RecordedRequest atSalesforce = ORG.counters().lastRestRequest();
        rememberLastSessionOf(ORG);
        assertThat(atSalesforce.path()).isEqualTo("/services/data/v62.0/query");
        assertThat(atSalesforce.query()).isEqualTo("q=SELECT+Id,Name+FROM+Account");
        String authorization = atSalesforce.header("Authorization");
        assertThat(authorization).startsWith("Bearer " + ORG.orgId() + "!");
        assertThat(atSalesforce.headers().values()).allSatisfy(values ->
                assertThat(values).noneMatch(value -> value.contains(idpToken)));
        assertThat(ORG.counters().exchanges(subject)).isEqualTo(1);
    }

    @Test
    void aSubjectThatKeepsCallingIsExchangedOnce() {
        String subject = uniqueSubject("steady");
        String idpToken = mint(subject);
        for (int i = 0; i < 5; i++) {
            get(QUERY, idpToken).expectStatus().isOk();
        }
        assertThat(ORG.counters().exchanges(subject)).isEqualTo(1);
    }

    @Test
    void aReMintedTokenForTheSameSubjectReusesTheSession() {
        String subject = uniqueSubject("reminted");
        get(QUERY, mint(subject)).expectStatus().isOk();
        get(QUERY, remember(ORG.idp().mintToken(subject, AUDIENCE, Duration.ofMinutes(30), Map.of("nonce", "2"))))
                .expectStatus().isOk();
        assertThat(ORG.counters().exchanges(subject)).isEqualTo(1);
    }

    @Test
    void twoHundredConcurrentFirstRequestsShareOneExchange() {
        String subject = uniqueSubject("burst");
        String idpToken = mint(subject);
        ORG.controls().tokenLatency(Duration.ofMillis(300));
        ConnectionProvider pool = ConnectionProvider.builder("burst").maxConnections(256).pendingAcquireMaxCount(-1).build();
        try {
            HttpClient http = HttpClient.create(pool).baseUrl("http://127.0.0.1:" + port)
                    .headers(headers -> headers.set("Authorization", "Bearer " + idpToken));
            List<Integer> statuses = Flux.range(0, 200)
                    .flatMap(i -> http.get().uri(QUERY).responseSingle((response, body) ->
                            body.then(reactor.core.publisher.Mono.just(response.status().code()))), 200)
                    .collectList()
                    .block(Duration.ofSeconds(30));
            assertThat(statuses).hasSize(200).containsOnly(200);
        } finally {
            pool.dispose();
        }
        assertThat(ORG.counters().exchanges(subject)).isEqualTo(1);
        client.get().uri("/actuator/prometheus").exchange().expectStatus().isOk().expectBody(String.class)
                .value(metrics -> assertThat(metrics).contains("salesforce_token_exchange_coalesced_total{"));
    }

    @Test
    void opaqueTokensAreKeyedByTheirHash() {
        String subject = uniqueSubject("opaque");
        String token = remember(OPAQUE_PREFIX + subject);
        get("/opaque" + QUERY, token).expectStatus().isOk();
        get("/opaque" + QUERY, token).expectStatus().isOk();
        assertThat(ORG.counters().exchanges(subject)).isEqualTo(1);
        assertThat(lastForm(ORG)).containsEntry("subject_token", token);
    }

    @Test
    void writesPassThroughWithTheirBodies() {
        String idpToken = mint(uniqueSubject("writer"));
        client.post().uri("/services/data/v62.0/sobjects/Account")
                .header("Authorization", "Bearer " + idpToken)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"Name\":\"Gateway Works\"}")
                .exchange()
                .expectStatus().isCreated()
                .expectBody().jsonPath("$.success").isEqualTo(true);
        assertThat(ORG.counters().lastRestRequest().body()).isEqualTo("{\"Name\":\"Gateway Works\"}");
    }

    @Test
    void metricsAndHealthGroupsAreExposed() {
        get(QUERY, mint(uniqueSubject("metrics"))).expectStatus().isOk();
        client.get().uri("/actuator/prometheus").exchange().expectStatus().isOk().expectBody(String.class)
                .value(metrics -> assertThat(metrics)
                        .contains("salesforce_token_exchange_seconds_count{outcome=\"success\",registration=\"acme\"}")
                        .contains("cache_gets_total{cache=\"salesforce.sessions\",registration=\"acme\",result=\"hit\"}")
                        .contains("cache_gets_total{cache=\"salesforce.sessions\",registration=\"acme\",result=\"miss\"}")
                        .contains("resilience4j_circuitbreaker_state{")
                        .contains("name=\"salesforce-token-exchange-acme\""));
        client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
        client.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
    }

    @Test
    void auditLineRecordsTheExchangeWithoutSecrets() {
        String subject = uniqueSubject("audited");
        get(QUERY, mint(subject)).expectStatus().isOk();
        List<String> lines = LOGS.linesContaining(subject);
        assertThat(lines).anySatisfy(line -> assertThat(line)
                .startsWith("salesforce.token-exchange.audit token exchange ")
                .contains(" registration=\"acme\"")
                .contains(" subject=\"jwt:" + ORG.idp().issuer() + " " + subject + "\"")
                .contains(" outcome=\"success\"")
                .contains(" latency_ms=\"")
                .contains(" org_id=\"" + ORG.orgId() + "\"")
                .contains(" user_id=\"005")
                .contains(" handler=\"" + HANDLER + "\""));
    }
}
