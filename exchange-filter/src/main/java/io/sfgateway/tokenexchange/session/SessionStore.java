package io.sfgateway.tokenexchange.session;

import io.sfgateway.tokenexchange.SalesforceSession;
import java.util.function.Predicate;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * Where the {@link SessionCache} turns when its own process holds no usable session: the
 * second level under the in-process Caffeine cache. The cache keeps its concurrency (one load per
 * key in this process, refresh-ahead claimed by one hit) and its synchronous warm path; a store is
 * asked only on a local miss, a due refresh and an eviction.
 *
 * <p>{@link LocalSessionStore}, the default, has no second level: a miss exchanges, as a single
 * gateway always has. A shared store (Redis) first looks for a session another replica obtained,
 * and makes one exchange serve every replica.
 *
 * <p>A store never fails a request because of itself: its own trouble turns into exchanging
 * locally. Failures of the exchange pass through unchanged.
 */
public interface SessionStore {

    /**
     * A session for a key this process does not hold: from the second level, or from
     * {@code exchange} (whose failures pass through).
     */
    Mono<StoredSession> load(SessionKey key, SessionLifetime lifetime, Supplier<Mono<SalesforceSession>> exchange);

    /**
     * A session to replace {@code current}, whose refresh-ahead time has come and whose refresh
     * this process claimed. Empty when there is nothing newer yet (another replica is refreshing
     * and has not finished): the cache keeps {@code current} and tries again later.
     */
    Mono<StoredSession> refresh(SessionKey key, SessionLifetime lifetime, SalesforceSession current,
            Supplier<Mono<SalesforceSession>> exchange);

    /** Salesforce called {@code stale} invalid: forget it, unless a fresher session already replaced it. */
    Mono<Void> evict(SessionKey key, SalesforceSession stale);

    /**
     * Forget every session of one user ({@code jwt:<issuer> <sub>}), whatever the registration and
     * whatever other claim the registration keys sessions by. Completes once every replica will
     * honour it; fails when that could not be made sure (a shared store that cannot reach Redis).
     */
    Mono<Void> evictSubject(String userKey);

    /**
     * Called once by the cache: where to drop local entries that another replica evicted. The
     * local store has no other replicas and ignores it.
     */
    default void onRemoteEviction(RemoteEvictions localCache) {
    }

    /** The local cache's side of evictions made elsewhere. */
    interface RemoteEvictions {

        /** Drop the entry for {@code key} if its session is {@code stale}. */
        void evict(SessionKey key, Predicate<SalesforceSession> stale);

        /** Drop every entry of one user. */
        void evictSubject(String userKey);

        /** Drop every entry: evictions made elsewhere may have been missed. */
        void evictAll();
    }
}
