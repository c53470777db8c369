package io.sfgateway.tokenexchange.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/** Contract §5: stale sessions, refresh-ahead, key rotation. */
class SessionLifecycleTest extends GatewayTestSupport {

    private static final String PATH = "/services/data/v62.0/limits";

    @Test
    void aRevokedSessionIsReplacedAndTheRequestReplayed() {
        String subject = uniqueSubject("revoked");
        String token = mint(subject);
        get(PATH, token).expectStatus().isOk();
        assertThat(ORG.controls().revokeSessionsOf(subject)).isEqualTo(1);

        get(PATH, token).expectStatus().isOk();
        assertThat(ORG.counters().exchanges(subject)).isEqualTo(2);
    }

    @Test
    void aReplayedWriteCarriesItsBodyAgain() {
        String subject = uniqueSubject("replay-body");
        String token = mint(subject);
        get(PATH, token).expectStatus().isOk();
        ORG.controls().revokeSessionsOf(subject);
        long restCalls = ORG.counters().restCalls();

        client.post().uri("/services/data/v62.0/sobjects/Contact")
                .header("Authorization", "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"LastName\":\"Replayed\"}")
                .exchange()
                .expectStatus().isCreated();
        assertThat(ORG.counters().restCalls()).isEqualTo(restCalls + 2);
        assertThat(ORG.counters().lastRestRequest().body()).isEqualTo("{\"LastName\":\"Replayed\"}");
        assertThat(ORG.counters().exchanges(subject)).isEqualTo(2);
    }

    @Test
    void aReplayWhoseReExchangeFailsAnswersOnlyTheFailure() {
        String subject = uniqueSubject("replay-outage");
        String token = mint(subject);
        get(PATH, token).expectStatus().isOk();
        ORG.controls().revokeSessionsOf(subject);
        ORG.controls().tokenFault(io.sfgateway.emulator.TokenFault.UNAVAILABLE);

        get(PATH, token).expectStatus().isEqualTo(503)
                .expectHeader().exists("Retry-After")
                .expectHeader().contentType("application/json")
                .expectBody(String.class).value(body -> assertThat(body)
                        .startsWith("{\"error\":\"temporarily_unavailable\"").doesNotContain("INVALID_SESSION_ID"));

        ORG.controls().tokenFault(io.sfgateway.emulator.TokenFault.NONE);
        get(PATH, token).expectStatus().isOk();
    }

    @Test
    void aBodyOverTheReplayLimitGetsThe401AndTheNextRequestAFreshSession() {
        String subject = uniqueSubject("big-body");
        String token = mint(subject);
        get(PATH, token).expectStatus().isOk();
        ORG.controls().revokeSessionsOf(subject);

        String big = "{\"Description\":\"" + "x".repeat(300 * 1024) + "\"}";
        client.post().uri("/services/data/v62.0/sobjects/Contact")
                .header("Authorization", "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(big)
                .exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$[0].errorCode").isEqualTo("INVALID_SESSION_ID");
        get(PATH, token).expectStatus().isOk();
        assertThat(ORG.counters().exchanges(subject)).isEqualTo(2);
    }

    @Test
    void a401AfterTheReplayGoesBackToTheCaller() {
        String subject = uniqueSubject("always-stale");
        String token = mint(subject);
        ORG.controls().sessionTimeout(Duration.ofMillis(1));
        // Each token answer leaves 20 ms after its session was issued, so every session is past its 1 ms
        // (whole-millisecond) timeout when the gateway first uses it: without this, a fast machine forwards
        // within the millisecond of issue and the "always stale" session answers 200.
        ORG.controls().tokenLatency(Duration.ofMillis(20));
        try {
            get(PATH, token).expectStatus().isUnauthorized()
                    .expectBody().jsonPath("$[0].errorCode").isEqualTo("INVALID_SESSION_ID");
            assertThat(ORG.counters().exchanges(subject)).as("one exchange, one replay with a fresh one").isEqualTo(2);
        } finally {
            ORG.controls().tokenLatency(Duration.ZERO);
            ORG.controls().sessionTimeout(Duration.ofHours(2));
        }
    }

    @Test
    void refreshAheadMeansNoRequestWaitsAfterTheFirst() throws Exception {
        String subject = uniqueSubject("refresh-ahead");
        String token = mint(subject);
        ORG.controls().tokenLatency(Duration.ofMillis(400));
        get("/short" + PATH, token).expectStatus().isOk();

        List<Long> latencies = new ArrayList<>();
        long end = System.nanoTime() + Duration.ofMillis(5500).toNanos();
        while (System.nanoTime() < end) {
            long start = System.nanoTime();
            get("/short" + PATH, token).expectStatus().isOk();
            latencies.add((System.nanoTime() - start) / 1_000_000);
            Thread.sleep(150);
        }
        // 4 s sessions: refreshed in the background after 3 s, never waited for.
        assertThat(latencies).hasSizeGreaterThan(20).allMatch(millis -> millis < 350);
        assertThat(ORG.counters().exchanges(subject)).isBetween(2L, 3L);
    }

    @Test
    void aKeyRotationAtTheIdpIsPickedUp() {
        get(PATH, mint(uniqueSubject("before-rotation"))).expectStatus().isOk();
        ORG.idp().rotateKey();
        String subject = uniqueSubject("after-rotation");
        get(PATH, mint(subject)).expectStatus().isOk();
        assertThat(ORG.counters().exchanges(subject)).isEqualTo(1);
    }
}
