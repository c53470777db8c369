package io.sfgateway.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Live sessions by access token, indexed by subject so one subject's sessions can be revoked, and each user's
 * approvals per app: every session issued with a refresh token is one, and past
 * {@link OrgPolicies#APPROVALS_PER_USER} the oldest is revoked with its session, as Salesforce does.
 */
final class SessionStore {

    /** Every this many issues, sessions past their timeout are swept so a long load test does not hoard them. */
    private static final long SWEEP_EVERY = 4096;

    private final ConcurrentHashMap<String, Session> byToken = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<String>> tokensBySubject = new ConcurrentHashMap<>();
    private final AtomicLong issued = new AtomicLong();
    private final ConcurrentHashMap<String, Deque<String>> approvals = new ConcurrentHashMap<>();

    void add(Session session, Supplier<Duration> timeout) {
        byToken.put(session.accessToken(), session);
        if (session.refreshToken()) {
            approve(session);
        }
        // compute/computeIfPresent are atomic per subject, so an add never lands in a set being dropped.
        tokensBySubject.compute(session.subject(), (subject, tokens) -> {
            Set<String> set = tokens == null ? ConcurrentHashMap.newKeySet() : tokens;
            set.add(session.accessToken());
            return set;
        });
        if (issued.incrementAndGet() % SWEEP_EVERY == 0) {
            sweep(timeout.get(), session.issuedAt());
        }
    }

    /**
     * The session if it is known, not revoked and not idle for its {@code timeout}, marked as used; an expired one is
     * dropped.
     */
    Optional<Session> live(String accessToken, Function<Session, Duration> timeout, Instant now) {
        Session session = byToken.get(accessToken);
        if (session == null) {
            return Optional.empty();
        }
        Duration limit = timeout.apply(session);
        if (session.expired(limit, now)) {
            remove(session);
            return Optional.empty();
        }
        session.touch(limit, now);
        return Optional.of(session);
    }

    /** Records the approval a refresh token is; the sixth of one user and app revokes the oldest with its session. */
    private void approve(Session session) {
        String key = session.subject() + '\n' + session.clientId();
        String revoked = null;
        Deque<String> tokens = approvals.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (tokens) {
            tokens.addLast(session.accessToken());
            if (tokens.size() > OrgPolicies.APPROVALS_PER_USER) {
                revoked = tokens.removeFirst();
            }
        }
        if (revoked != null) {
            revoke(revoked);
        }
    }

    void revoke(String accessToken) {
        Session session = byToken.get(accessToken);
        if (session != null) {
            remove(session);
        }
    }

    int revokeSubject(String subject) {
        Set<String> tokens = tokensBySubject.remove(subject);
        if (tokens == null) {
            return 0;
        }
        int n = 0;
        for (String token : tokens) {
            if (byToken.remove(token) != null) {
                n++;
            }
        }
        return n;
    }

    void revokeAll() {
        byToken.clear();
        tokensBySubject.clear();
        approvals.clear();
    }

    int size() {
        return byToken.size();
    }

    private void sweep(Duration timeout, Instant now) {
        for (Session session : byToken.values()) {
            if (session.expired(timeout, now)) {
                remove(session);
            }
        }
    }

    private void remove(Session session) {
        byToken.remove(session.accessToken());
        tokensBySubject.computeIfPresent(session.subject(), (subject, tokens) -> {
            tokens.remove(session.accessToken());
            return tokens.isEmpty() ? null : tokens;
        });
    }
}
