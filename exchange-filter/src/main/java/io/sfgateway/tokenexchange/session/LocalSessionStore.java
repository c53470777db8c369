package io.sfgateway.tokenexchange.session;

import io.sfgateway.tokenexchange.SalesforceSession;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * The default store: sessions live only in this process's {@link SessionCache}, so a miss or a
 * refresh is an exchange and an eviction needs nothing more.
 */
public final class LocalSessionStore implements SessionStore {

    @Override
    public Mono<StoredSession> load(SessionKey key, SessionLifetime lifetime, Supplier<Mono<SalesforceSession>> exchange) {
        return exchange.get().map(StoredSession::fresh);
    }

    @Override
    public Mono<StoredSession> refresh(SessionKey key, SessionLifetime lifetime, SalesforceSession current,
            Supplier<Mono<SalesforceSession>> exchange) {
        return exchange.get().map(StoredSession::fresh);
    }

    @Override
    public Mono<Void> evict(SessionKey key, SalesforceSession stale) {
        return Mono.empty();
    }

    @Override
    public Mono<Void> evictSubject(String subjectKey) {
        return Mono.empty();
    }
}
