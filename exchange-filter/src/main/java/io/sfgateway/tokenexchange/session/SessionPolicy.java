package io.sfgateway.tokenexchange.session;

/**
 * What one registration's sessions follow.
 *
 * @param registration the registration's name (metric tags, audit line, cache keys)
 * @param handler the Apex token handler the registration names, for the audit line; {@code null} for none
 * @param lifetime how long its sessions are used
 * @param newSubjects admits new opaque subjects before their first exchange; {@code null} when
 *     subjects are validated locally
 */
public record SessionPolicy(String registration, String handler, SessionLifetime lifetime,
        NewOpaqueSubjectLimiter newSubjects) {

    /** A registration whose subjects are validated locally. */
    public static SessionPolicy validated(String registration, String handler, SessionLifetime lifetime) {
        return new SessionPolicy(registration, handler, lifetime, null);
    }
}
