package io.sfgateway.tokenexchange.shared;

import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.session.SessionLifetime;
import io.sfgateway.tokenexchange.shared.SealedEntries.Look;
import io.sfgateway.tokenexchange.shared.SealedEntries.Tombstone;
import io.sfgateway.tokenexchange.shared.SessionSeal.Name;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * One local miss of the {@link RedisSessionStore}: the subject's entry, the exchange to run, this
 * replica's lock token, until when (epoch millis) it waits for another replica's exchange, and
 * the entry's tombstone as this miss last read it ({@code null} until a read succeeds).
 */
final class Miss {

    private final SealedEntries.Entry entry;
    private final SessionLifetime lifetime;
    private final Supplier<Mono<SalesforceSession>> exchange;
    private final byte[] token;
    private final long deadline;
    private final AtomicReference<Tombstone> seen = new AtomicReference<>();

    Miss(SealedEntries.Entry entry, SessionLifetime lifetime, Supplier<Mono<SalesforceSession>> exchange, byte[] token,
            long deadline) {
        this.entry = entry;
        this.lifetime = lifetime;
        this.exchange = exchange;
        this.token = token;
        this.deadline = deadline;
    }

    SealedEntries.Entry entry() {
        return entry;
    }

    SessionLifetime lifetime() {
        return lifetime;
    }

    Supplier<Mono<SalesforceSession>> exchange() {
        return exchange;
    }

    byte[] token() {
        return token;
    }

    long deadline() {
        return deadline;
    }

    AtomicReference<Tombstone> seen() {
        return seen;
    }

    /** The name the entry is written and locked under. */
    Name name() {
        return entry.names().get(0);
    }

    /** Remembers the tombstone {@code look} read: a session exchanged after it will carry it. */
    void saw(Look look) {
        seen.set(look.tombstone());
    }
}
