package io.sfgateway.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** Live sessions by access token, indexed by subject so one subject's sessions can be revoked. */
final class SessionStore {

    /** Every this many issues, sessions past their timeout are swept so a long load test does not hoard them. */
    private static final long SWEEP_EVERY = 4096;

    private final ConcurrentHashMap<String, Session> byToken = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<String>> tokensBySubject = new ConcurrentHashMap<>();
    private final AtomicLong issued = new AtomicLong();

    void add(Session session, Supplier<Duration> timeout) {
        byToken.put(session.accessToken(), session);
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

    /** The session if it is known, not revoked and not past {@code timeout} since issue; an expired one is dropped. */
    Optional<Session> live(String accessToken, Duration timeout, Instant now) {
        Session session = byToken.get(accessToken);
        if (session == null) {
            return Optional.empty();
        }
        if (session.expired(timeout, now)) {
            remove(session);
            return Optional.empty();
        }
        return Optional.of(session);
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
