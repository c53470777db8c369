package io.sfgateway.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An issued Salesforce session.
 *
 * @param site whether it was issued on the Experience Cloud site (then honoured there only)
 * @param refreshToken whether a refresh token (an approval) was issued with it
 * @param expiresAt when a JWT-format access token expires, however busy (its {@code exp}); {@code null} for a session
 *     id, which lives until idle for the session timeout
 * @param lastActiveMillis when the session was last marked active; Salesforce's timeout is an idle timeout
 */
record Session(String accessToken, String subject, String userId, String clientId, Instant issuedAt, boolean site,
        boolean refreshToken, Instant expiresAt, AtomicLong lastActiveMillis) {

    Session(String accessToken, String subject, String userId, String clientId, Instant issuedAt, boolean site,
            boolean refreshToken, Instant expiresAt) {
        this(accessToken, subject, userId, clientId, issuedAt, site, refreshToken, expiresAt,
                new AtomicLong(issuedAt.toEpochMilli()));
    }

    /** Whether {@code timeout} has passed since the session was last active, or a JWT-format token's {@code exp}. */
    boolean expired(Duration timeout, Instant now) {
        return now.toEpochMilli() - lastActiveMillis.get() >= timeout.toMillis()
                || expiresAt != null && !now.isBefore(expiresAt);
    }

    /**
     * Marks a use. Like Salesforce, the last-active time moves only in the second half of the
     * timeout, so a session in use lives on, by up to half a timeout more than its last mark.
     */
    void touch(Duration timeout, Instant now) {
        long last = lastActiveMillis.get();
        long nowMillis = now.toEpochMilli();
        if (nowMillis - last >= timeout.toMillis() / 2) {
            lastActiveMillis.compareAndSet(last, nowMillis);
        }
    }

    /** Hides the access token. */
    @Override
    public String toString() {
        return "Session[subject=" + subject + ", userId=" + userId + ", clientId=" + clientId + ", issuedAt="
                + issuedAt + ", site=" + site + "]";
    }
}
