package io.sfgateway.tokenexchange.warmup;

import java.time.Duration;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;
import reactor.util.retry.RetryBackoffSpec;

/**
 * How warm-up waits: each attempt of a step is cut off at {@code attemptTimeout}; a failed
 * required step is tried again after {@code firstBackoff}, then after waits that double (with
 * jitter) up to {@code maxBackoff}, for as long as it takes.
 */
public record WarmUpPolicy(Duration firstBackoff, Duration maxBackoff, Duration attemptTimeout) {

    /** The library's: 250 ms first, at most 5 s between tries, 10 s per try. */
    public static final WarmUpPolicy DEFAULTS = new WarmUpPolicy(Duration.ofMillis(250), Duration.ofSeconds(5),
            Duration.ofSeconds(10));

    public WarmUpPolicy {
        if (!positive(firstBackoff) || !positive(maxBackoff) || !positive(attemptTimeout)) {
            throw new IllegalArgumentException("warm-up durations must be positive");
        }
        maxBackoff = maxBackoff.compareTo(firstBackoff) < 0 ? firstBackoff : maxBackoff;
    }

    /** Retries without end, its waits on {@code timer}. */
    RetryBackoffSpec retry(Scheduler timer) {
        return Retry.backoff(Long.MAX_VALUE, firstBackoff).maxBackoff(maxBackoff).scheduler(timer);
    }

    private static boolean positive(Duration duration) {
        return duration != null && !duration.isNegative() && !duration.isZero();
    }
}
