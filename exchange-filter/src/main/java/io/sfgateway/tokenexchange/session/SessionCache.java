package io.sfgateway.tokenexchange.session;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import io.sfgateway.tokenexchange.ExchangeFailure;
import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.SampledReads;
import io.sfgateway.tokenexchange.Subject;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * Salesforce sessions by {@link SessionKey}, on a Caffeine {@link AsyncCache}:
 * <ul>
 *   <li><b>single flight</b>: the first miss starts the exchange; everyone arriving before it
 *       completes joins the same future ({@link SessionEvents#coalesced});</li>
 *   <li><b>expiry</b> per entry at the registration's session timeout less a margin;</li>
 *   <li><b>refresh-ahead</b>: a hit past {@code refreshAhead × timeout} is served at once and
 *       starts one background exchange that replaces the entry; when Salesforce refuses the
 *       subject token in that exchange, the entry is dropped;</li>
 *   <li>failed exchanges are never kept: they are held as values that expire at once.</li>
 * </ul>
 * The exchange a miss or refresh runs is the caller's, so it always uses the caller's current
 * token. Exchanges run to completion even when the caller that started them goes away, since
 * others may be waiting on them.
 *
 * <p>A miss, a due refresh and an eviction go through the {@link SessionStore}: the
 * {@link LocalSessionStore} just exchanges; a shared store may find the session another replica
 * obtained. A hit never leaves this class.
 */
public final class SessionCache {

    /** An admission that admits every load. */
    public static final Supplier<ExchangeFailure> ADMITTED = () -> null;

    private final AsyncCache<SessionKey, CachedSession> cache;
    private final SampledReads<SessionKey, CachedSession> reads;
    private final Ticker ticker;
    private final SessionEvents listener;
    private final SessionStore store;
    private final UserIndex users;

    /** A cache with no second level ({@link LocalSessionStore}). */
    public SessionCache(long maximumSize, Ticker ticker, SessionEvents listener) {
        this(maximumSize, ticker, listener, new LocalSessionStore());
    }

    public SessionCache(long maximumSize, Ticker ticker, SessionEvents listener, SessionStore store) {
        this.ticker = ticker;
        this.listener = listener;
        this.store = store;
        this.users = new UserIndex(ticker, 2 * maximumSize);
        this.cache = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                // Each entry lives until its own deadline; reads do not extend it.
                .expireAfter(Expiry.writing((SessionKey key, CachedSession value) ->
                        Duration.ofNanos(Math.max(0, value.expireAtNanos() - ticker.read()))))
                .ticker(ticker)
                .executor(Runnable::run)
                .recordStats() // for cache.puts and cache.evictions; the warm path's reads record no statistics
                .buildAsync();
        this.reads = new SampledReads<>(key -> CachedSession.ready(cache.asMap().get(key)),
                cache.synchronous().policy()); // a ready session or null, never a load in flight
        store.onRemoteEviction(new SessionStore.RemoteEvictions() {
            @Override
            public void evict(SessionKey key, Predicate<SalesforceSession> stale) {
                evictLocally(key, stale);
            }

            @Override
            public void evictSubject(String userKey) {
                invalidateLocally(userKey);
            }

            @Override
            public void evictAll() {
                users.clear(); // first: a load starting meanwhile is indexed anew and dropped below
                cache.synchronous().invalidateAll();
            }
        });
    }

    /** The session for {@code key}: cached, joined while in flight, or obtained by {@code exchange}. */
    public Mono<SalesforceSession> get(SessionKey key, SessionLifetime lifetime, Supplier<Mono<SalesforceSession>> exchange) {
        return get(key, lifetime, exchange, Context.empty(), ADMITTED);
    }

    /**
     * As above; an exchange started here runs in {@code caller}'s Reactor context (its observations
     * join that trace). {@code admission} is asked only when this call starts the load, before the
     * store is (never for a hit, nor for a caller joining a load in flight); the failure it answers
     * fails this call, and the store is never asked. {@link #ADMITTED}: every load is.
     */
    public Mono<SalesforceSession> get(SessionKey key, SessionLifetime lifetime, Supplier<Mono<SalesforceSession>> exchange,
            ContextView caller, Supplier<ExchangeFailure> admission) {
        SalesforceSession cached = cached(key, exchange);
        if (cached != null) {
            return Mono.just(cached);
        }
        CompletableFuture<CachedSession> present = cache.asMap().get(key);
        if (present != null && !present.isDone()) {
            listener.miss(key.registration());
            listener.coalesced(key.registration());
            return Mono.fromFuture(present, true).flatMap(CachedSession::toMono);
        }
        CachedSession finished = CachedSession.ready(present);
        if (present != null && (finished == null || finished.isFailure())) {
            // A failed exchange whose entry Caffeine has not dropped yet: its completion callback
            // runs after the callers' (a future runs its dependents last-registered first), so a
            // caller answered with the failure can be back before it. Never join a finished failure.
            cache.asMap().remove(key, present);
        }
        listener.miss(key.registration());
        boolean[] started = {false};
        CompletableFuture<CachedSession> future = cache.get(key, (k, executor) -> {
            started[0] = true;
            ExchangeFailure refused = admission.get();
            if (refused != null) {
                return CompletableFuture.completedFuture(CachedSession.failed(refused, lifetime, ticker.read()));
            }
            users.add(key, lifetime);
            return loadInto(new CompletableFuture<>(), key, exchange, lifetime, caller);
        });
        if (!started[0] && !future.isDone()) {
            listener.coalesced(key.registration());
        }
        return Mono.fromFuture(future, true).flatMap(CachedSession::toMono);
    }

    /**
     * The session for {@code key} if one is cached and ready, counted as a hit (and refreshed
     * ahead in the background when due, with {@code exchange}); otherwise {@code null}, and
     * nothing is counted: the caller goes on with {@link #get}.
     */
    public SalesforceSession cached(SessionKey key, Supplier<Mono<SalesforceSession>> exchange) {
        CachedSession cached = reads.get(key);
        if (cached == null || cached.isFailure()) {
            return null;
        }
        listener.hit(key.registration());
        refreshIfDue(key, cached, exchange);
        return cached.session();
    }

    /** Runs the store's load to completion into a plain {@code future}; failures become instantly expiring values. */
    private CompletableFuture<CachedSession> loadInto(CompletableFuture<CachedSession> future, SessionKey key,
            Supplier<Mono<SalesforceSession>> exchange, SessionLifetime lifetime, ContextView caller) {
        store.load(key, lifetime, exchange)
                .doOnNext(stored -> users.add(key, lifetime)) // the index outlives the entry, whose life starts now
                .map(stored -> cached(stored, lifetime))
                .onErrorResume(ExchangeFailure.class,
                        failure -> Mono.just(CachedSession.failed(failure, lifetime, ticker.read())))
                .contextWrite(caller)
                .subscribe(future::complete, future::completeExceptionally, () -> future.complete(null));
        return future;
    }

    private CachedSession cached(StoredSession stored, SessionLifetime lifetime) {
        return new CachedSession(stored.session(), lifetime, ticker.read() - Math.max(0, stored.ageNanos()));
    }

    /** Drops {@code stale} (Salesforce called it invalid) here and in the store, unless the entry holds another. */
    public void evict(SessionKey key, SalesforceSession stale) {
        evictLocally(key, session -> session == stale);
        store.evict(key, stale).subscribe();
    }

    private void evictLocally(SessionKey key, Predicate<SalesforceSession> stale) {
        cache.asMap().computeIfPresent(key, (k, future) -> {
            CachedSession cached = future.getNow(null);
            return cached != null && cached.session() != null && stale.test(cached.session()) ? null : future;
        });
    }

    /**
     * Drops every session of one user ({@link Subject#validatedKey(String, String)}), whatever the
     * registration, including keys that also name another claim, here and in the store (so, with a
     * shared store, on every replica). Emits how many this process held (loads in flight included)
     * once the store has it; fails when the store could not make sure every replica will honour it.
     */
    public Mono<Long> invalidateSubject(String userKey) {
        long evicted = invalidateLocally(userKey);
        // Again once the store has it: a miss meanwhile may have read the session back before the store's eviction.
        return store.evictSubject(userKey).then(Mono.fromSupplier(() -> evicted + invalidateLocally(userKey)));
    }

    private long invalidateLocally(String userKey) {
        long evicted = 0;
        for (SessionKey key : users.remove(userKey)) {
            evicted += cache.asMap().remove(key) != null ? 1 : 0;
        }
        return evicted;
    }

    /** Registers size, puts and evictions with Caffeine's Micrometer binder ({@link SessionCacheMetrics}). */
    public void bindMetrics(MeterRegistry registry) {
        new SessionCacheMetrics(cache.synchronous()).bindTo(registry);
    }

    /** The cache's clock, which the sessions it holds are timed on. */
    public Ticker ticker() {
        return ticker;
    }

    public long estimatedSize() {
        return cache.synchronous().estimatedSize();
    }

    private void refreshIfDue(SessionKey key, CachedSession cached, Supplier<Mono<SalesforceSession>> exchange) {
        if (!cached.claimRefresh(ticker.read())) {
            return;
        }
        CompletableFuture<CachedSession> present = cache.asMap().get(key);
        if (CachedSession.ready(present) != cached) {
            return; // replaced or gone since it was read: nothing of this entry's to refresh
        }
        store.refresh(key, cached.lifetime(), cached.session(), exchange)
                .switchIfEmpty(Mono.fromRunnable(() -> cached.refreshFailed(ticker.read())))
                .subscribe(
                        fresh -> {
                            users.add(key, cached.lifetime());
                            cache.asMap().replace(key, present, CompletableFuture.completedFuture(cached(fresh, cached.lifetime())));
                        },
                        failure -> {
                            if (isRefusalOfTheSubject(failure)) {
                                // Salesforce now refuses the very token this session was obtained with (revoked,
                                // expired, user deactivated): stop serving it, here and in the store. Only this
                                // entry: a session obtained meanwhile stays.
                                cache.asMap().remove(key, present);
                                store.evict(key, cached.session()).subscribe();
                            } else {
                                cached.refreshFailed(ticker.read());
                            }
                        });
    }

    private static boolean isRefusalOfTheSubject(Throwable failure) {
        return failure instanceof ExchangeFailure refusal && refusal.kind() == ExchangeFailure.Kind.SUBJECT_REJECTED;
    }
}
