package io.sfgateway.tokenexchange.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RenewalLimitTest {

    private final AtomicLong nanos = new AtomicLong(1_000);
    private final RenewalLimit limit = new RenewalLimit(Duration.ofSeconds(30), 100, nanos::get);

    @Test
    void oneClaimPerSubjectPerInterval() {
        assertThat(limit.tryClaim("a")).isTrue();
        assertThat(limit.tryClaim("a")).isFalse();
        assertThat(limit.tryClaim("b")).as("another subject").isTrue();
        nanos.addAndGet(Duration.ofSeconds(29).toNanos());
        assertThat(limit.tryClaim("a")).isFalse();
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(limit.tryClaim("a")).as("the interval has passed").isTrue();
        assertThat(limit.tryClaim("a")).isFalse();
    }

    @Test
    void aZeroIntervalNeverLimits() {
        RenewalLimit none = new RenewalLimit(Duration.ZERO, 100, nanos::get);
        assertThat(none.tryClaim("a")).isTrue();
        assertThat(none.tryClaim("a")).isTrue();
    }
}
