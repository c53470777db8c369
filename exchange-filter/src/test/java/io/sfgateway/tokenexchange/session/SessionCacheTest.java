package io.sfgateway.tokenexchange.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfgateway.tokenexchange.ExchangeFailure;
import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.SessionGrant;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

class SessionCacheTest {

    private static final SessionKey KEY = new SessionKey("acme", "jwt:https://idp alice");
    private static final SessionLifetime LIFETIME = new SessionLifetime(Duration.ofMinutes(100), 0.75);

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final CountingEvents listener = new CountingEvents();
    private final SessionCache cache = new SessionCache(1000, nanos::get, listener);
    private final AtomicInteger exchanges = new AtomicInteger();

    private Mono<SalesforceSession> exchange() {
        return Mono.fromSupplier(() -> session("token-" + exchanges.incrementAndGet()));
    }

    @Test
    void concurrentMissesShareOneExchange() {
        Sinks.One<SalesforceSession> answer = Sinks.one();
        List<Mono<SalesforceSession>> callers = Flux.range(0, 100)
                .map(i -> cache.get(KEY, LIFETIME, () -> {
                    exchanges.incrementAndGet();
                    return answer.asMono();
                }))
                .collectList().block();
        SalesforceSession session = session("shared");
        StepVerifier.create(Flux.merge(callers).doOnSubscribe(s -> answer.tryEmitValue(session)))
                .expectNextCount(100)
                .verifyComplete();
        assertThat(exchanges).hasValue(1);
        assertThat(listener.coalesced).hasValue(99);
        assertThat(listener.misses).hasValue(100);
    }

    @Test
    void aHitServesTheCachedSessionUntilItsTimeoutLessTheMargin() {
        SalesforceSession first = cache.get(KEY, LIFETIME, this::exchange).block();
        nanos.addAndGet(Duration.ofMinutes(60).toNanos());
        StepVerifier.create(cache.get(KEY, LIFETIME, this::exchange)).expectNext(first).verifyComplete();
        assertThat(listener.hits).hasValue(1);

        nanos.addAndGet(Duration.ofSeconds(39 * 60 + 30).toNanos()); // 99.5 min: past 100 min less the 1 min margin
        StepVerifier.create(cache.get(KEY, LIFETIME, this::exchange))
                .assertNext(session -> assertThat(session.accessToken()).isEqualTo("token-2"))
                .verifyComplete();
    }

    @Test
    void pastRefreshAheadAHitIsServedAtOnceAndOneBackgroundExchangeReplacesTheSession() {
        SalesforceSession first = cache.get(KEY, LIFETIME, this::exchange).block();
        nanos.addAndGet(Duration.ofMinutes(76).toNanos());
        Sinks.One<SalesforceSession> refreshed = Sinks.one();
        AtomicInteger refreshes = new AtomicInteger();

        for (int i = 0; i < 5; i++) {
            StepVerifier.create(cache.get(KEY, LIFETIME, () -> {
                refreshes.incrementAndGet();
                return refreshed.asMono();
            })).expectNext(first).verifyComplete();
        }
        assertThat(refreshes).as("one background refresh, however many hits").hasValue(1);

        refreshed.tryEmitValue(session("fresh"));
        StepVerifier.create(cache.get(KEY, LIFETIME, this::exchange))
                .assertNext(session -> assertThat(session.accessToken()).isEqualTo("fresh"))
                .verifyComplete();
        assertThat(exchanges).hasValue(1);
    }

    @Test
    void aFailedRefreshKeepsTheSessionAndIsRetriedLater() {
        SalesforceSession first = cache.get(KEY, LIFETIME, this::exchange).block();
        nanos.addAndGet(Duration.ofMinutes(76).toNanos());
        StepVerifier.create(cache.get(KEY, LIFETIME, () -> Mono.error(unavailable()))).expectNext(first).verifyComplete();

        AtomicInteger attempts = new AtomicInteger();
        StepVerifier.create(cache.get(KEY, LIFETIME, () -> {
            attempts.incrementAndGet();
            return exchange();
        })).expectNext(first).verifyComplete();
        assertThat(attempts).as("no retry at once").hasValue(0);

        nanos.addAndGet(LIFETIME.refreshRetryNanos());
        StepVerifier.create(cache.get(KEY, LIFETIME, this::exchange)).expectNext(first).verifyComplete();
        StepVerifier.create(cache.get(KEY, LIFETIME, this::exchange))
                .assertNext(session -> assertThat(session.accessToken()).isEqualTo("token-2"))
                .verifyComplete();
    }

    @Test
    void aRefreshSalesforceRefusesEvictsTheSession() {
        SalesforceSession first = cache.get(KEY, LIFETIME, this::exchange).block();
        nanos.addAndGet(Duration.ofMinutes(76).toNanos());
        ExchangeFailure revoked = new ExchangeFailure(ExchangeFailure.Kind.SUBJECT_REJECTED, "invalid_grant");
        StepVerifier.create(cache.get(KEY, LIFETIME, () -> Mono.error(revoked))).as("served while the refresh runs")
                .expectNext(first).verifyComplete();

        assertThat(cache.cached(KEY, this::exchange)).as("the token was refused: its session is gone").isNull();
        StepVerifier.create(cache.get(KEY, LIFETIME, () -> Mono.error(revoked))).expectErrorMatches(e -> e == revoked).verify();
    }

    @Test
    void aRefusedRefreshNeverDropsASessionObtainedMeanwhile() {
        cache.get(KEY, LIFETIME, this::exchange).block();
        nanos.addAndGet(Duration.ofMinutes(76).toNanos());
        Sinks.One<SalesforceSession> refresh = Sinks.one();
        cache.get(KEY, LIFETIME, refresh::asMono).block(); // starts the refresh, still running
        SalesforceSession current = cache.get(KEY, LIFETIME, this::exchange).block();
        cache.evict(KEY, current); // Salesforce called it invalid; the next request exchanges again
        SalesforceSession fresh = cache.get(KEY, LIFETIME, this::exchange).block();

        refresh.tryEmitError(new ExchangeFailure(ExchangeFailure.Kind.SUBJECT_REJECTED, "invalid_grant"));
        assertThat(cache.cached(KEY, this::exchange)).isSameAs(fresh);
    }

    @Test
    void cachedAnswersOnlyAReadySessionAndCountsOnlyThatAsAHit() {
        Sinks.One<SalesforceSession> answer = Sinks.one();
        assertThat(cache.cached(KEY, this::exchange)).as("nothing cached").isNull();
        Mono<SalesforceSession> inFlight = cache.get(KEY, LIFETIME, answer::asMono);
        assertThat(cache.cached(KEY, this::exchange)).as("exchange still in flight").isNull();
        assertThat(listener.hits).hasValue(0);
        assertThat(exchanges).as("cached() never exchanges on a miss").hasValue(0);

        SalesforceSession session = session("ready");
        answer.tryEmitValue(session);
        StepVerifier.create(inFlight).expectNext(session).verifyComplete();
        assertThat(cache.cached(KEY, this::exchange)).isSameAs(session);
        assertThat(listener.hits).hasValue(1);
    }

    @Test
    void aSessionInUseOutlivesAWaveOfNewSubjectsWhenTheCacheIsFull() {
        // Most hits are read quietly; the sample that is recorded must keep telling the size eviction which
        // session is in use, or a wave of subjects seen once pushes it out and its next request exchanges again.
        SessionCache small = new SessionCache(100, nanos::get, listener);
        for (int i = 0; i < 100; i++) {
            small.get(new SessionKey("acme", "jwt:https://idp old-" + i), LIFETIME, this::exchange).block();
        }
        SessionKey inUse = new SessionKey("acme", "jwt:https://idp in-use");
        SalesforceSession session = small.get(inUse, LIFETIME, this::exchange).block();
        for (int i = 0; i < 2_000; i++) {
            small.get(new SessionKey("acme", "jwt:https://idp once-" + i), LIFETIME, this::exchange).block();
            for (int hit = 0; hit < 4; hit++) {
                assertThat(small.cached(inUse, this::exchange)).as("hit %d after %d new subjects", hit, i).isSameAs(session);
            }
        }
        assertThat(small.estimatedSize()).isLessThanOrEqualTo(100);
    }

    @Test
    void cachedRefreshesAheadLikeGet() {
        SalesforceSession first = cache.get(KEY, LIFETIME, this::exchange).block();
        nanos.addAndGet(Duration.ofMinutes(76).toNanos());
        assertThat(cache.cached(KEY, this::exchange)).as("served at once").isSameAs(first);
        assertThat(cache.cached(KEY, this::exchange).accessToken()).as("replaced in the background")
                .isEqualTo("token-2");
    }

    @Test
    void cachedNeverAnswersAFailedExchange() {
        StepVerifier.create(cache.get(KEY, LIFETIME, () -> Mono.error(unavailable())))
                .expectError(ExchangeFailure.class).verify();
        assertThat(cache.cached(KEY, this::exchange)).isNull();
    }

    @Test
    void failedExchangesAreNotCachedButReachEveryoneWhoJoinedThem() {
        Sinks.One<SalesforceSession> answer = Sinks.one();
        Mono<SalesforceSession> first = cache.get(KEY, LIFETIME, answer::asMono);
        Mono<SalesforceSession> joined = cache.get(KEY, LIFETIME, this::exchange);
        answer.tryEmitError(unavailable());

        StepVerifier.create(first).expectError(ExchangeFailure.class).verify();
        StepVerifier.create(joined).expectError(ExchangeFailure.class).verify();
        StepVerifier.create(cache.get(KEY, LIFETIME, this::exchange))
                .assertNext(session -> assertThat(session.accessToken()).isEqualTo("token-1"))
                .verifyComplete();
    }

    @Test
    void aCallerBackRightAfterAFailureExchangesAgain() {
        // The caller hears of the failure before Caffeine's own completion callback has dropped
        // the entry (a future runs its dependents last-registered first); a client retrying at
        // once must not be handed the same failure without an exchange.
        Sinks.One<SalesforceSession> answer = Sinks.one();
        AtomicReference<Mono<SalesforceSession>> retried = new AtomicReference<>();
        cache.get(KEY, LIFETIME, answer::asMono)
                .subscribe(session -> { }, failure -> retried.set(cache.get(KEY, LIFETIME, this::exchange)));
        answer.tryEmitError(unavailable());

        StepVerifier.create(retried.get())
                .assertNext(session -> assertThat(session.accessToken()).isEqualTo("token-1"))
                .verifyComplete();
        assertThat(exchanges).hasValue(1);
    }

    @Test
    void evictDropsOnlyTheStaleSession() {
        SalesforceSession stale = cache.get(KEY, LIFETIME, this::exchange).block();
        cache.evict(KEY, session("someone-elses"));
        StepVerifier.create(cache.get(KEY, LIFETIME, this::exchange)).expectNext(stale).verifyComplete();

        cache.evict(KEY, stale);
        StepVerifier.create(cache.get(KEY, LIFETIME, this::exchange))
                .assertNext(session -> assertThat(session.accessToken()).isEqualTo("token-2"))
                .verifyComplete();
    }

    @Test
    void aCallerGoingAwayDoesNotCancelTheSharedExchange() {
        Sinks.One<SalesforceSession> answer = Sinks.one();
        AtomicInteger cancelled = new AtomicInteger();
        Disposable impatient = cache.get(KEY, LIFETIME, () -> answer.asMono().doOnCancel(cancelled::incrementAndGet))
                .subscribe();
        Mono<SalesforceSession> patient = cache.get(KEY, LIFETIME, this::exchange);
        impatient.dispose();
        answer.tryEmitValue(session("shared"));

        StepVerifier.create(patient)
                .assertNext(session -> assertThat(session.accessToken()).isEqualTo("shared"))
                .verifyComplete();
        assertThat(cancelled).hasValue(0);
    }

    @Test
    void sessionsOfOneSubjectCanBeInvalidated() {
        cache.get(KEY, LIFETIME, this::exchange).block();
        cache.get(new SessionKey("other", KEY.subject()), LIFETIME, this::exchange).block();
        cache.get(new SessionKey("acme", "jwt:https://idp bob"), LIFETIME, this::exchange).block();
        cache.get(new SessionKey("by-email", KEY.subject() + " email=alice@example.com"), LIFETIME, this::exchange).block();

        StepVerifier.create(cache.invalidateSubject(KEY.subject())).expectNext(3L).verifyComplete();
        assertThat(cache.estimatedSize()).as("bob's session stays").isEqualTo(1);
    }

    @Test
    void aLoadInFlightIsEvictedWithItsUser() {
        Sinks.One<SalesforceSession> answer = Sinks.one();
        cache.get(KEY, LIFETIME, answer::asMono).subscribe();

        StepVerifier.create(cache.invalidateSubject(KEY.subject())).expectNext(1L).verifyComplete();
        answer.tryEmitValue(session("obtained-before-the-eviction"));
        assertThat(cache.cached(KEY, this::exchange)).as("not kept once it arrives").isNull();
    }

    private static SalesforceSession session(String accessToken) {
        return new SalesforceSession(accessToken,
                SessionGrant.of(URI.create("https://acme.my.salesforce.com"),
                "00D", "api"), "005", System.currentTimeMillis());
    }

    private static ExchangeFailure unavailable() {
        return new ExchangeFailure(ExchangeFailure.Kind.UNAVAILABLE, "down");
    }
}
