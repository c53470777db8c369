package io.sfgateway.tokenexchange.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.sfgateway.emulator.TokenFault;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Contract §5 and §7: a hanging token endpoint, the breaker opening, and recovery. */
class OutageAndBreakerTest extends GatewayTestSupport {

    private static final String PATH = "/fragile/services/data/v62.0/limits";

    @Test
    void warmSubjectsKeepWorkingColdOnesFailFastThenRecover() throws Exception {
        String warm = fragileToken(uniqueSubject("warm"));
        get(PATH, warm).expectStatus().isOk();

        FRAGILE_ORG.controls().tokenFault(TokenFault.HANG);

        long start = System.nanoTime();
        get(PATH, warm).expectStatus().isOk();
        assertThat(elapsedMillis(start)).as("a cached session does not wait on the token endpoint").isLessThan(1000);

        // The breaker's window of 4 holds the warm subject's success and these 3 timeouts: 75% failed.
        for (int i = 0; i < 3; i++) {
            start = System.nanoTime();
            get(PATH, fragileToken(uniqueSubject("cold"))).expectStatus().isEqualTo(503).expectHeader().exists("Retry-After");
            assertThat(elapsedMillis(start)).as("a cold request is answered within the exchange timeout")
                    .isBetween(EXCHANGE_TIMEOUT.toMillis() - 100, EXCHANGE_TIMEOUT.toMillis() + 1500);
        }
        CircuitBreaker breaker = circuitBreakers.circuitBreaker("salesforce-token-exchange-fragile");
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);

        long tokenRequests = FRAGILE_ORG.counters().tokenRequests();
        int warnings = CapturedLogs.install().linesContaining("on registration fragile").size();
        start = System.nanoTime();
        get(PATH, fragileToken(uniqueSubject("cold"))).expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("Retry-After", "2");
        assertThat(elapsedMillis(start)).as("an open breaker answers at once").isLessThan(500);
        assertThat(FRAGILE_ORG.counters().tokenRequests()).as("Salesforce is not called").isEqualTo(tokenRequests);
        for (int i = 0; i < 20; i++) {
            get(PATH, fragileToken(uniqueSubject("cold"))).expectStatus().isEqualTo(503);
        }
        assertThat(CapturedLogs.install().linesContaining("on registration fragile"))
                .as("requests refused by the open breaker are not logged one by one").hasSize(warnings);
        assertThat(CapturedLogs.install().linesContaining("Circuit breaker salesforce-token-exchange-fragile: CLOSED -> OPEN"))
                .as("the transition is").isNotEmpty();
        get(PATH, warm).expectStatus().isOk();

        FRAGILE_ORG.controls().tokenFault(TokenFault.NONE);
        Thread.sleep(Duration.ofMillis(2200).toMillis());
        String recovered = uniqueSubject("recovered");
        get(PATH, fragileToken(recovered)).expectStatus().isOk();
        assertThat(FRAGILE_ORG.counters().exchanges(recovered)).isEqualTo(1);
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void refusedSubjectsDoNotOpenTheBreaker() {
        FRAGILE_ORG.controls().tokenFault(TokenFault.INVALID_GRANT);
        for (int i = 0; i < 6; i++) {
            get(PATH, fragileToken(uniqueSubject("refused"))).expectStatus().isUnauthorized();
        }
        assertThat(circuitBreakers.circuitBreaker("salesforce-token-exchange-fragile").getState())
                .isEqualTo(CircuitBreaker.State.CLOSED);
    }

    private static String fragileToken(String subject) {
        return remember(FRAGILE_ORG.idp().mintToken(subject, AUDIENCE));
    }

    private static long elapsedMillis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
