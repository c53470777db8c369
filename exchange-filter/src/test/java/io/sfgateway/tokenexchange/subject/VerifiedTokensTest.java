package io.sfgateway.tokenexchange.subject;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class VerifiedTokensTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T12:00:00Z"), ZoneOffset.UTC);
    private static final long NOW = CLOCK.millis();
    private static final long HOUR = 3_600_000;

    @Test
    void aTokenInUseOutlivesAWaveOfTokensSeenOnceWhenTheMemoIsFull() {
        // Most lookups are quiet; the recorded sample must keep the token in use from being pushed out, or each
        // of its requests after a wave of one-off tokens would verify its signature again.
        VerifiedTokens memo = new VerifiedTokens(100, CLOCK);
        for (int i = 0; i < 100; i++) {
            memo.remember(new VerifiedTokens.Digest(1, i), verified("jwt:https://idp old-" + i));
        }
        VerifiedTokens.Digest inUse = new VerifiedTokens.Digest(2, 0);
        memo.remember(inUse, verified("jwt:https://idp in-use"));
        for (int i = 0; i < 2_000; i++) {
            memo.remember(new VerifiedTokens.Digest(3, i), verified("jwt:https://idp once-" + i));
            for (int lookup = 0; lookup < 4; lookup++) {
                assertThat(memo.subjectKey(inUse, NOW, 1)).as("lookup %d after %d new tokens", lookup, i)
                        .isEqualTo("jwt:https://idp in-use");
            }
        }
    }

    @Test
    void anEntryIsTrustedOnlyUntilItsNotAfterAndForItsKeySet() {
        VerifiedTokens memo = new VerifiedTokens(100, CLOCK);
        VerifiedTokens.Digest token = new VerifiedTokens.Digest(4, 0);
        memo.remember(token, verified("jwt:https://idp alice"));
        assertThat(memo.subjectKey(token, NOW, 1)).isEqualTo("jwt:https://idp alice");
        assertThat(memo.subjectKey(token, NOW + HOUR + 1, 1)).as("past notAfter").isNull();
        assertThat(memo.subjectKey(token, NOW, 2)).as("another key set").isNull();
    }

    private static VerifiedTokens.Verified verified(String subjectKey) {
        return new VerifiedTokens.Verified(subjectKey, NOW + HOUR, 1);
    }
}
