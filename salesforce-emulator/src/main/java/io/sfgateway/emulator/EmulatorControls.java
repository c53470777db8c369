package io.sfgateway.emulator;

import java.time.Duration;
import java.util.Objects;

/**
 * Run-time knobs of an emulated org: faults, latency, the issued {@code instance_url}, session lifetime and
 * revocation. {@link SalesforceEmulator#reset()} returns them to the configuration's values.
 */
public final class EmulatorControls {

    private final Duration configuredSessionTimeout;
    private final SessionStore sessions;

    private volatile Duration tokenLatency = Duration.ZERO;
    private volatile Duration restLatency = Duration.ZERO;
    private volatile TokenFault tokenFault = TokenFault.NONE;
    private volatile String instanceUrl;
    private volatile Duration sessionTimeout;

    EmulatorControls(Duration sessionTimeout, SessionStore sessions) {
        this.configuredSessionTimeout = sessionTimeout;
        this.sessionTimeout = sessionTimeout;
        this.sessions = sessions;
    }

    /** Delays every token endpoint answer (errors and faults included) by {@code d}; zero for none. */
    public void tokenLatency(Duration d) {
        tokenLatency = nonNegative(d);
    }

    /** Delays every REST answer (401s included) by {@code d}; zero for none. */
    public void restLatency(Duration d) {
        restLatency = nonNegative(d);
    }

    /** Makes the token endpoint misbehave; {@link TokenFault#NONE} (or {@code null}) restores it. */
    public void tokenFault(TokenFault f) {
        tokenFault = f == null ? TokenFault.NONE : f;
    }

    /** Overrides the {@code instance_url} of new sessions; {@code null} restores {@link SalesforceEmulator#baseUrl()}. */
    public void instanceUrl(String url) {
        instanceUrl = url == null || url.isBlank() ? null : url;
    }

    /** Revokes one session: REST then answers 401 {@code INVALID_SESSION_ID} to it. */
    public void revokeSession(String accessToken) {
        sessions.revoke(accessToken);
    }

    /** Revokes every session of one subject; returns how many. */
    public int revokeSessionsOf(String subject) {
        return sessions.revokeSubject(subject);
    }

    public void revokeAllSessions() {
        sessions.revokeAll();
    }

    /**
     * The org's session timeout, an idle timeout as Salesforce's is: a session expires once unused for this long
     * (its last-active time moves only in the second half of the period). Applies at once to sessions already issued.
     * A user's shorter timeout: {@link OrgPolicies#userSessionTimeout}.
     */
    public void sessionTimeout(Duration d) {
        Objects.requireNonNull(d, "d");
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("session timeout must be positive");
        }
        sessionTimeout = d;
    }

    /** The current value. */
    public Duration tokenLatency() {
        return tokenLatency;
    }

    /** The current value. */
    public Duration restLatency() {
        return restLatency;
    }

    /** The current value. */
    public TokenFault tokenFault() {
        return tokenFault;
    }

    /** The override, or {@code null}. */
    String instanceUrlOverride() {
        return instanceUrl;
    }

    /** The current value. */
    public Duration sessionTimeout() {
        return sessionTimeout;
    }

    void reset() {
        tokenLatency = Duration.ZERO;
        restLatency = Duration.ZERO;
        tokenFault = TokenFault.NONE;
        instanceUrl = null;
        sessionTimeout = configuredSessionTimeout;
    }

    private static Duration nonNegative(Duration d) {
        if (d == null) {
            return Duration.ZERO;
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative");
        }
        return d;
    }
}
