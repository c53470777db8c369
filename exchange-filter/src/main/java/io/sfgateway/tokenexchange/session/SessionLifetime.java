package io.sfgateway.tokenexchange.session;

import java.time.Duration;

/**
 * How long a registration's sessions are used. Salesforce sends no {@code expires_in}: a
 * session lives for the org's session timeout, so the gateway stops using it a small margin
 * earlier ({@link #margin()}) and, after {@code refreshAhead × timeout}, replaces it in the
 * background.
 */
public record SessionLifetime(Duration timeout, double refreshAhead) {

    private static final Duration MAX_MARGIN = Duration.ofMinutes(1);

    /** 5% of the timeout, at most a minute: covers clock drift and the exchange's own round trip. */
    public Duration margin() {
        Duration fivePercent = timeout.dividedBy(20);
        return fivePercent.compareTo(MAX_MARGIN) < 0 ? fivePercent : MAX_MARGIN;
    }

    /** How long a session is used from the moment it was obtained: the timeout less the margin. */
    public Duration usable() {
        return timeout.minus(margin());
    }

    long usableNanos() {
        return timeout.minus(margin()).toNanos();
    }

    long refreshAfterNanos() {
        return Math.min((long) (timeout.toNanos() * refreshAhead), usableNanos());
    }

    /** How long to wait before trying again after a background refresh failed. */
    long refreshRetryNanos() {
        return Math.max(Duration.ofSeconds(1).toNanos(), timeout.toNanos() / 60);
    }
}
