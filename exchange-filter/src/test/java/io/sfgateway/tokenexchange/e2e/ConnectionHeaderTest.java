package io.sfgateway.tokenexchange.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11 item 1: a caller's {@code Connection} header cannot strip the Salesforce token, and a
 * subject can force at most one session renewal per interval. Raw sockets: HTTP clients manage
 * {@code Connection} themselves.
 */
class ConnectionHeaderTest extends ForwardingTestSupport {

    private static final String PATH = "/services/data/v62.0/limits";

    @ParameterizedTest
    @ValueSource(strings = {"Authorization", "close, authorization", "AUTHORIZATION", "keep-alive , Authorization,X-Hop"})
    void aConnectionHeaderCannotStripTheSessionNorForceExchanges(String connection) throws Exception {
        String subject = uniqueSubject("hop");
        String token = mint(subject);
        get(PATH, token).expectStatus().isOk();

        for (int i = 0; i < 5; i++) {
            assertThat(rawStatusLine("GET " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                    + "\r\nX-Hop: for-this-hop-only\r\nConnection: " + connection))
                    .startsWith("HTTP/1.1 200");
        }
        assertThat(ORG.counters().exchanges(subject)).as("one exchange, never renewed").isEqualTo(1);
        String authorization = ORG.counters().lastRestRequest().header("Authorization");
        assertThat(authorization).startsWith("Bearer " + ORG.orgId() + "!");
        SECRETS.add(authorization.substring("Bearer ".length()));
        assertThat(ORG.counters().lastRestRequest().header("Connection")).as("the caller's Connection")
                .satisfiesAnyOf(value -> assertThat(value).isNull(),
                        value -> assertThat(value).doesNotContainIgnoringCase("authorization"));
        if (connection.contains("X-Hop")) {
            assertThat(ORG.counters().lastRestRequest().header("X-Hop")).as("named hop-by-hop: not forwarded").isNull();
        }
    }

    @Test
    void aSubjectForcesAtMostOneRenewalPerInterval() throws Exception {
        String subject = uniqueSubject("stale-loop");
        String token = mint(subject);
        ORG.controls().sessionTimeout(Duration.ofMillis(1)); // Salesforce calls every session dead
        // ...once used: each token answer leaves 20 ms after its session was issued, so no session can be used
        // within the millisecond it was issued in (the timeout counts whole milliseconds).
        ORG.controls().tokenLatency(Duration.ofMillis(20));
        long start;
        try {
            get(PATH, token).expectStatus().isUnauthorized()
                    .expectBody().jsonPath("$[0].errorCode").isEqualTo("INVALID_SESSION_ID");
            start = System.nanoTime(); // the renewal was claimed before this
            assertThat(ORG.counters().exchanges(subject)).as("the exchange and one renewal").isEqualTo(2);
            for (int i = 0; i < 5; i++) {
                get(PATH, token).expectStatus().isUnauthorized()
                        .expectBody().jsonPath("$[0].errorCode").isEqualTo("INVALID_SESSION_ID");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("test precondition")
                    .isLessThan(MIN_RENEWAL_INTERVAL);
            assertThat(ORG.counters().exchanges(subject)).as("no exchange per request").isEqualTo(2);
        } finally {
            ORG.controls().tokenLatency(Duration.ZERO);
            ORG.controls().sessionTimeout(Duration.ofHours(2));
        }
        Thread.sleep(Math.max(0, MIN_RENEWAL_INTERVAL.toMillis() - Duration.ofNanos(System.nanoTime() - start).toMillis() + 200));
        get(PATH, token).expectStatus().isOk();
        assertThat(ORG.counters().exchanges(subject)).as("renewed again once the interval has passed").isEqualTo(3);
    }
}
