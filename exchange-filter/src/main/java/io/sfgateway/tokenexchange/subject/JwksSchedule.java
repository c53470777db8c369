package io.sfgateway.tokenexchange.subject;

import java.time.Duration;

/**
 * When an IdP's signing keys are fetched.
 *
 * @param minRefresh the least time between two fetches (an unknown {@code kid} fetches no sooner)
 * @param maxBackoff the longest wait between two fetches while the IdP fails (at least {@code minRefresh})
 * @param maxAge how long a key set is used before it is fetched again
 * @param fetchTimeout how long one fetch may take
 */
public record JwksSchedule(Duration minRefresh, Duration maxBackoff, Duration maxAge, Duration fetchTimeout) {

    public JwksSchedule {
        maxBackoff = maxBackoff.compareTo(minRefresh) < 0 ? minRefresh : maxBackoff;
    }

    /** Key sets used for 10 minutes, each fetch given 5 seconds. */
    public static JwksSchedule of(Duration minRefresh, Duration maxBackoff) {
        return new JwksSchedule(minRefresh, maxBackoff, Duration.ofMinutes(10), Duration.ofSeconds(5));
    }
}
