package io.sfgateway.tokenexchange.config;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Instant;

/**
 * The Caffeine {@link Ticker} that goes with the library's {@link Clock}, so one clock drives
 * the caches' expiry too. The system clock gets Caffeine's system ticker (monotonic
 * {@code nanoTime}, unmoved by wall-clock adjustments); any other clock, a test's for one, is
 * read as nanoseconds since the epoch.
 */
final class ClockTicker {

    private ClockTicker() {
    }

    static Ticker of(Clock clock) {
        if (clock.equals(Clock.system(clock.getZone()))) {
            return Ticker.systemTicker();
        }
        return () -> {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
    }
}
