package io.sfgateway.tokenexchange.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.SessionGrant;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** The cache's side of the {@link SessionStore} seam: what it asks the store, and when it does not. */
class SessionStoreSeamTest {

    private static final SessionKey KEY = new SessionKey("acme", "jwt:https://idp alice");
    private static final SessionLifetime LIFETIME = new SessionLifetime(Duration.ofMinutes(100), 0.75);

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final ScriptedStore store = new ScriptedStore();
    private final SessionCache cache = new SessionCache(1000, nanos::get, SessionEvents.NONE, store);
    private final AtomicInteger exchanges = new AtomicInteger();

    private Mono<SalesforceSession> exchange() {
        return Mono.fromSupplier(() -> session("exchanged-" + exchanges.incrementAndGet()));
    }

    @Test
    void concurrentLocalMissesAskTheStoreOnceAndHitsNeverAskIt() {
        Sinks.One<StoredSession> answer = Sinks.one();
        store.loads.add(answer.asMono());
        List<Mono<SalesforceSession>> callers = Flux.range(0, 50)
                .map(i -> cache.get(KEY, LIFETIME, this::exchange)).collectList().block();
        SalesforceSession fromStore = session("from-store");
        StepVerifier.create(Flux.merge(callers).doOnSubscribe(s -> answer.tryEmitValue(StoredSession.fresh(fromStore))))
                .expectNextCount(50).verifyComplete();

        for (int i = 0; i < 10; i++) {
            assertThat(cache.cached(KEY, this::exchange)).isSameAs(fromStore);
        }
        assertThat(store.loadCalls).hasValue(1);
        assertThat(exchanges).as("the store answered: no exchange here").hasValue(0);
    }

    @Test
    void aSessionAnotherReplicaObtainedEarlierExpiresOnItsOwnDeadlineNotOnArrival() {
        SalesforceSession old = session("obtained-elsewhere");
        store.loads.add(Mono.just(new StoredSession(old, Duration.ofMinutes(90).toNanos())));
        assertThat(cache.get(KEY, LIFETIME, this::exchange).block()).isSameAs(old);

        nanos.addAndGet(Duration.ofMinutes(8).toNanos()); // 98 min old: still inside 100 min less the 1 min margin
        assertThat(cache.cached(KEY, () -> Mono.never())).isSameAs(old);
        nanos.addAndGet(Duration.ofMinutes(2).toNanos()); // 100 min old: expired
        assertThat(cache.cached(KEY, this::exchange)).isNull();
    }

    @Test
    void anEmptyRefreshKeepsTheSessionAndTriesAgainLater() {
        SalesforceSession first = cache.get(KEY, LIFETIME, this::exchange).block();
        nanos.addAndGet(Duration.ofMinutes(76).toNanos());
        store.refreshes.add(Mono.empty());
        assertThat(cache.cached(KEY, this::exchange)).isSameAs(first);
        assertThat(cache.cached(KEY, this::exchange)).isSameAs(first);
        assertThat(store.refreshCalls).as("one refresh claimed, then a pause").hasValue(1);

        nanos.addAndGet(LIFETIME.refreshRetryNanos());
        SalesforceSession newer = session("refreshed-elsewhere");
        store.refreshes.add(Mono.just(StoredSession.fresh(newer)));
        assertThat(cache.cached(KEY, this::exchange)).isSameAs(first);
        assertThat(cache.cached(KEY, this::exchange)).isSameAs(newer);
        assertThat(store.refreshCalls).hasValue(2);
        assertThat(store.lastRefreshCurrent).isSameAs(first);
    }

    @Test
    void evictionsReachTheStore() {
        SalesforceSession stale = cache.get(KEY, LIFETIME, this::exchange).block();
        cache.evict(KEY, stale);
        cache.invalidateSubject(KEY.subject()).block();
        assertThat(store.evicted).containsExactly("evict " + KEY + " " + stale.accessToken(),
                "subject " + KEY.subject());
    }

    @Test
    void aRemoteEvictionDropsTheLocalEntryOnlyWhenItHoldsTheStaleSession() {
        SalesforceSession held = cache.get(KEY, LIFETIME, this::exchange).block();
        store.remote.evict(KEY, session -> session.accessToken().equals("some-other"));
        assertThat(cache.cached(KEY, this::exchange)).isSameAs(held);

        store.remote.evict(KEY, session -> session.accessToken().equals(held.accessToken()));
        assertThat(cache.cached(KEY, this::exchange)).isNull();

        cache.get(KEY, LIFETIME, this::exchange).block();
        store.remote.evictSubject(KEY.subject());
        assertThat(cache.estimatedSize()).isZero();
        assertThat(store.evicted).as("a remote eviction is not sent back to the store").isEmpty();

        cache.get(KEY, LIFETIME, this::exchange).block();
        cache.get(new SessionKey("other", "jwt:https://idp bob"), LIFETIME, this::exchange).block();
        store.remote.evictAll();
        assertThat(cache.estimatedSize()).as("evictions may have been missed: nothing local is trusted").isZero();
    }

    private static SalesforceSession session(String accessToken) {
        return new SalesforceSession(accessToken,
                SessionGrant.of(URI.create("https://acme.my.salesforce.com"),
                "00D", "api"), "005", System.currentTimeMillis());
    }

    /** A store answering what the test queued, else exchanging; records what it was asked. */
    private static final class ScriptedStore implements SessionStore {
        final List<Mono<StoredSession>> loads = new ArrayList<>();
        final List<Mono<StoredSession>> refreshes = new ArrayList<>();
        final List<String> evicted = new ArrayList<>();
        final AtomicInteger loadCalls = new AtomicInteger();
        final AtomicInteger refreshCalls = new AtomicInteger();
        volatile SalesforceSession lastRefreshCurrent;
        RemoteEvictions remote;

        @Override
        public Mono<StoredSession> load(SessionKey key, SessionLifetime lifetime,
                Supplier<Mono<SalesforceSession>> exchange) {
            loadCalls.incrementAndGet();
            return loads.isEmpty() ? exchange.get().map(StoredSession::fresh) : loads.remove(0);
        }

        @Override
        public Mono<StoredSession> refresh(SessionKey key, SessionLifetime lifetime, SalesforceSession current,
                Supplier<Mono<SalesforceSession>> exchange) {
            refreshCalls.incrementAndGet();
            lastRefreshCurrent = current;
            return refreshes.isEmpty() ? exchange.get().map(StoredSession::fresh) : refreshes.remove(0);
        }

        @Override
        public Mono<Void> evict(SessionKey key, SalesforceSession stale) {
            evicted.add("evict " + key + " " + stale.accessToken());
            return Mono.empty();
        }

        @Override
        public Mono<Void> evictSubject(String subjectKey) {
            evicted.add("subject " + subjectKey);
            return Mono.empty();
        }

        @Override
        public void onRemoteEviction(RemoteEvictions localCache) {
            this.remote = localCache;
        }
    }
}
