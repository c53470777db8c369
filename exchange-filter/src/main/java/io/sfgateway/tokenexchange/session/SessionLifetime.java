package io.sfgateway.tokenexchange.session;

import io.sfgateway.tokenexchange.SalesforceSession;
import java.time.Duration;

/**
 * How long a registration's sessions are used. Salesforce sends no {@code expires_in}: a
 * session lives for the org's session timeout, so the gateway stops using it a small margin
 * earlier ({@link #margin()}) and, after {@code refreshAhead × timeout}, replaces it in the
 * background. A JWT-format access token that expires sooner (its {@code exp}) is used for its
 * own lifetime instead, by the same rules.
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

    /**
     * How long {@code session} is used from the moment it was obtained: the timeout less the
     * margin, or, for a JWT-format token that expires sooner, its own lifetime less its margin
     * (a JWT-format token expires at its {@code exp} however busy it is).
     */
    long usableNanos(SalesforceSession session) {
        Duration fixed = session.fixedLifetime();
        if (fixed == null || fixed.compareTo(timeout) >= 0) {
            return usableNanos();
        }
        return new SessionLifetime(fixed, refreshAhead).usableNanos();
    }

    /** {@link #usableNanos(SalesforceSession)} as a duration: how long a shared store keeps {@code session}. */
    public Duration usable(SalesforceSession session) {
        return Duration.ofNanos(usableNanos(session));
    }

    /** When a hit on {@code session} starts a background refresh, from the moment it was obtained. */
    long refreshAfterNanos(SalesforceSession session) {
        Duration fixed = session.fixedLifetime();
        if (fixed == null || fixed.compareTo(timeout) >= 0) {
            return refreshAfterNanos();
        }
        return new SessionLifetime(fixed, refreshAhead).refreshAfterNanos();
    }

    /** How long to wait before trying again after a background refresh failed. */
    long refreshRetryNanos() {
        return Math.max(Duration.ofSeconds(1).toNanos(), timeout.toNanos() / 60);
    }
}
