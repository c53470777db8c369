package io.sfgateway.tokenexchange.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfgateway.tokenexchange.ExchangeFailure;
import io.sfgateway.tokenexchange.ExchangeFailure.Kind;
import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.SessionGrant;
import io.sfgateway.tokenexchange.SessionSource;
import io.sfgateway.tokenexchange.Subject;
import io.sfgateway.tokenexchange.routing.SessionForwarder;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** One registration's sessions, with a fake ticker and a scripted {@link SessionSource}. */
class SessionServiceTest {

    private static final SessionLifetime LIFETIME = new SessionLifetime(Duration.ofMinutes(100), 0.75);
    private static final Subject ALICE = Subject.validated("https://idp", "alice", "alice-token");

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final RecordingEvents events = new RecordingEvents();
    private final SessionCache cache = new SessionCache(1000, nanos::get, events);
    private final RefusalMemory refusals = new RefusalMemory(Duration.ofSeconds(5), 1000, nanos::get);
    private final AtomicInteger exchanges = new AtomicInteger();
    private Mono<SalesforceSession> next = null;

    private final SessionSource source = subject -> {
        exchanges.incrementAndGet();
        return next != null ? next : Mono.fromSupplier(() -> session("sf-" + exchanges.get()));
    };
    private final SessionService service = new SessionService(SessionPolicy.validated("acme", "Handler", LIFETIME), cache, refusals, source,
            events);

    @Test
    void concurrentRequestsOfOneSubjectShareOneExchangeAndItIsReportedOnce() {
        Sinks.One<SalesforceSession> answer = Sinks.one();
        next = answer.asMono();
        List<Mono<SalesforceSession>> callers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            callers.add(service.sessionFor(ALICE));
        }
        SalesforceSession session = session("shared");
        StepVerifier.create(Flux.merge(callers).doOnSubscribe(s -> answer.tryEmitValue(session)))
                .expectNextCount(20)
                .verifyComplete();
        assertThat(exchanges).hasValue(1);
        assertThat(events.misses).hasValue(20);
        assertThat(events.coalesced).hasValue(19);
        assertThat(events.exchanged).containsExactly("acme Handler jwt:https://idp alice success");
        assertThat(service.cachedSessionFor(ALICE)).isSameAs(session);
        assertThat(events.hits).hasValue(1);
    }

    /** The local store, counting loads: with the shared store each one is a Redis read, and a lock on a miss. */
    private static final class CountingStore implements SessionStore {
        private final LocalSessionStore local = new LocalSessionStore();
        final AtomicInteger loads = new AtomicInteger();

        @Override
        public Mono<StoredSession> load(SessionKey key, SessionLifetime lifetime,
                java.util.function.Supplier<Mono<SalesforceSession>> exchange) {
            loads.incrementAndGet();
            return local.load(key, lifetime, exchange);
        }

        @Override
        public Mono<StoredSession> refresh(SessionKey key, SessionLifetime lifetime, SalesforceSession current,
                java.util.function.Supplier<Mono<SalesforceSession>> exchange) {
            return local.refresh(key, lifetime, current, exchange);
        }

        @Override
        public Mono<Void> evict(SessionKey key, SalesforceSession stale) {
            return Mono.empty();
        }

        @Override
        public Mono<Void> evictSubject(String userKey) {
            return Mono.empty();
        }
    }

    private SessionService opaque(SessionStore store, int perClientLimit) {
        SessionPolicy policy = new SessionPolicy("acme", "Handler", LIFETIME,
                new NewOpaqueSubjectLimiter("acme", perClientLimit, 100, Duration.ofMinutes(10), 100));
        return new SessionService(policy, new SessionCache(1000, nanos::get, events, store), refusals, source, events);
    }

    @Test
    void anOpaqueTokenSalesforceRefusedIsAnsweredBeforeTheStoreIsAsked() {
        CountingStore counting = new CountingStore();
        SessionService opaque = opaque(counting, 2);
        Subject random = Subject.opaque("a-random-token-of-32-characters!");
        java.net.InetSocketAddress client = new java.net.InetSocketAddress("127.0.0.1", 40_000);
        next = Mono.error(new ExchangeFailure(Kind.SUBJECT_REJECTED, "invalid_grant"));

        StepVerifier.create(opaque.sessionFor(random, client)).expectError(ExchangeFailure.class).verify();
        StepVerifier.create(opaque.sessionFor(random, client)).expectError(ExchangeFailure.class).verify();
        assertThat(exchanges).hasValue(1);
        assertThat(counting.loads).as("the retry never reaches the store (Redis, with the shared store)").hasValue(1);
    }

    @Test
    void anOpaqueTokenNotAdmittedNeverReachesTheStoreAndCachedOrJoinedOnesAreNeverLimited() {
        CountingStore counting = new CountingStore();
        SessionService opaque = opaque(counting, 1);
        java.net.InetSocketAddress client = new java.net.InetSocketAddress("127.0.0.1", 40_000);
        Subject first = Subject.opaque("the-first-token-of-32-characters");
        Sinks.One<SalesforceSession> answer = Sinks.one();
        next = answer.asMono();

        Mono<SalesforceSession> starts = opaque.sessionFor(first, client);
        Mono<SalesforceSession> joins = opaque.sessionFor(first, client);
        StepVerifier.create(Flux.merge(starts, joins).doOnSubscribe(s -> answer.tryEmitValue(session("sf-first"))))
                .expectNextCount(2).verifyComplete();
        assertThat(exchanges).as("admitted once, the store's exchange does not ask again").hasValue(1);
        assertThat(counting.loads).hasValue(1);

        Subject random = Subject.opaque("a-random-token-of-32-characters!");
        StepVerifier.create(opaque.sessionFor(random, client))
                .expectErrorSatisfies(e -> assertThat(((ExchangeFailure) e).kind()).isEqualTo(Kind.RATE_LIMITED))
                .verify();
        assertThat(counting.loads).as("a token not admitted costs no store call (no Redis read, no lock)").hasValue(1);
        assertThat(exchanges).hasValue(1);

        StepVerifier.create(opaque.sessionFor(first, client)).expectNextCount(1).verifyComplete();
        assertThat(counting.loads).as("a cached session is served past the limit").hasValue(1);
    }

    @Test
    void aDueHitIsServedAtOnceAndStartsOneRefreshThatReplacesTheEntry() {
        SalesforceSession first = service.sessionFor(ALICE).block();
        nanos.addAndGet(Duration.ofMinutes(76).toNanos()); // past 75 % of 100 minutes

        assertThat(service.cachedSessionFor(ALICE)).as("served at once").isSameAs(first);
        assertThat(exchanges).as("one background exchange").hasValue(2);
        SalesforceSession refreshed = service.cachedSessionFor(ALICE);
        assertThat(refreshed.accessToken()).isEqualTo("sf-2");
        assertThat(exchanges).as("the fresh entry is not due").hasValue(2);
        assertThat(events.exchanged).hasSize(2);
    }

    @Test
    void aRefreshRefusedForTheSubjectDropsTheEntry() {
        service.sessionFor(ALICE).block();
        nanos.addAndGet(Duration.ofMinutes(76).toNanos());
        next = Mono.error(new ExchangeFailure(Kind.SUBJECT_REJECTED, "invalid_grant"));

        assertThat(service.cachedSessionFor(ALICE)).as("the hit that refreshes is still served").isNotNull();
        assertThat(service.cachedSessionFor(ALICE)).as("then nothing is cached").isNull();
        assertThat(events.exchanged).last().asString().endsWith("rejected");
    }

    @Test
    void aRefusedTokenIsAnsweredFromMemoryUntilItsTimeToLive() {
        ExchangeFailure refused = new ExchangeFailure(Kind.SUBJECT_REJECTED, "invalid_grant");
        next = Mono.error(refused);
        StepVerifier.create(service.sessionFor(ALICE)).expectErrorSatisfies(e -> assertThat(e).isSameAs(refused)).verify();
        StepVerifier.create(service.sessionFor(ALICE)).expectErrorSatisfies(e -> assertThat(e).isSameAs(refused)).verify();
        assertThat(exchanges).as("the second refusal costs no exchange").hasValue(1);
        assertThat(events.exchanged).hasSize(1);

        nanos.addAndGet(Duration.ofSeconds(6).toNanos());
        next = null;
        StepVerifier.create(service.sessionFor(ALICE)).expectNextCount(1).verifyComplete();
        assertThat(exchanges).hasValue(2);
    }

    @Test
    void anAvailabilityFailureIsNotRememberedNorCached() {
        next = Mono.error(new ExchangeFailure(Kind.UNAVAILABLE, "503"));
        StepVerifier.create(service.sessionFor(ALICE)).expectError(ExchangeFailure.class).verify();
        next = null;
        StepVerifier.create(service.sessionFor(ALICE)).expectNextCount(1).verifyComplete();
        assertThat(exchanges).hasValue(2);
        assertThat(events.exchanged).containsExactly("acme Handler jwt:https://idp alice error",
                "acme Handler jwt:https://idp alice success");
    }

    @Test
    void evictionDropsOnlyTheStaleSession() {
        SalesforceSession current = service.sessionFor(ALICE).block();
        service.evict(ALICE, session("some-other"));
        assertThat(service.cachedSessionFor(ALICE)).isSameAs(current);
        service.evict(ALICE, current);
        assertThat(service.cachedSessionFor(ALICE)).isNull();
    }

    @Test
    void theRenewalEvictsOncePerIntervalAndRenewsWithAFreshExchange() {
        RenewalLimit limit = new RenewalLimit(Duration.ofSeconds(30), 100, nanos::get);
        SalesforceSession stale = service.sessionFor(ALICE).block();
        SessionRenewal renewal = service.renewal(ALICE, limit);

        assertThat(renewal.evict(stale)).isTrue();
        assertThat(service.cachedSessionFor(ALICE)).isNull();
        SalesforceSession fresh = renewal.renewed().block();
        assertThat(fresh.accessToken()).isEqualTo("sf-2");

        assertThat(service.renewal(ALICE, limit).evict(fresh)).as("a second renewal within the interval").isFalse();
        assertThat(service.cachedSessionFor(ALICE)).as("and the session stays").isSameAs(fresh);
        nanos.addAndGet(Duration.ofSeconds(31).toNanos());
        assertThat(service.renewal(ALICE, limit).evict(fresh)).isTrue();
    }

    private static SalesforceSession session(String accessToken) {
        return new SalesforceSession(accessToken,
                SessionGrant.of(URI.create("https://acme.my.salesforce.com"), "00D", "api"), "005", 0L);
    }

    private static final class RecordingEvents extends CountingEvents {

        final List<String> exchanged = new ArrayList<>();

        @Override
        public synchronized void exchanged(String registration, String handler, String subjectKey, long nanos,
                SalesforceSession session, ExchangeFailure failure) {
            String outcome = failure == null ? "success"
                    : failure.kind() == Kind.SUBJECT_REJECTED ? "rejected" : "error";
            exchanged.add(registration + " " + handler + " " + subjectKey + " " + outcome);
        }
    }
}
