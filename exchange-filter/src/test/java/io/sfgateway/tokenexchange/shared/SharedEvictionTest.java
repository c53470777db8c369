package io.sfgateway.tokenexchange.shared;

import static io.sfgateway.tokenexchange.shared.RedisSessionStoreTest.awaitTrue;
import static io.sfgateway.tokenexchange.shared.RedisSessionStoreTest.session;
import static org.assertj.core.api.Assertions.assertThat;

import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.session.SessionKey;
import io.sfgateway.tokenexchange.session.SessionLifetime;
import io.sfgateway.tokenexchange.shared.RedisSessionStoreTest.FakeTime;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * An eviction of a user sticks on every replica of a real redis-server, and sessions read from
 * Redis obey the same rules as fresh ones (docs/SCALING.md, "Evicting a user").
 */
class SharedEvictionTest extends OnRealRedis {

    private static final String USER = "jwt:https://idp alice";
    /** The same user, where a registration keys sessions by email as well. */
    private static final SessionKey BY_EMAIL = new SessionKey("acme", USER + " email=alice@example.com");
    private static final SessionLifetime LIFETIME = new SessionLifetime(Duration.ofMinutes(100), 0.75);
    private static final Map<String, byte[]> K1 = Map.of("k1", SessionSealTest.K1);

    private Replica replica(StoredRegistration registration) {
        return replica(registration, time);
    }

    /** A replica whose wall clock is {@code clock}: another pod's, running ahead or behind. */
    private Replica replica(StoredRegistration registration, Clock clock) {
        Replica replica = new Replica(redis.port(), new SharedStoreSettings("k1", K1, Replica.DEFAULT_TIMEOUT,
                Duration.ofSeconds(2), List.of(registration)), time::nanos, clock, StoreReads.NONE, true);
        replicas.add(replica);
        return replica;
    }

    private Replica replica() {
        return replica(Replica.ACME);
    }

    private Mono<SalesforceSession> exchange() {
        return Mono.fromSupplier(() -> session("sf-" + exchanges.incrementAndGet(), time.millis()));
    }

    private SalesforceSession get(Replica replica, SessionKey key) {
        return replica.cache.get(key, LIFETIME, this::exchange).block(Duration.ofSeconds(5));
    }

    private String entry(Replica replica, SessionKey key) {
        return replica.store.entries().entry(key).names().get(0).redisKey();
    }

    private void awaitWritten(Replica replica, SessionKey key, String accessToken) {
        String name = entry(replica, key);
        awaitTrue(() -> {
            byte[] value = raw.opsForValue().get(name).block();
            SessionCodec.Decoded opened = value == null ? null : replica.store.entries().seal().open(replica.store.entries().entry(key).names().get(0), value);
            return opened != null && opened.session().accessToken().equals(accessToken);
        }, accessToken + " written");
    }

    /**
     * Until {@code replica} holds the entry's lock and its exchange has begun: the store reads the tombstone once more
     * after taking the lock, so an eviction between the lock and that read comes before the exchange, not during it.
     */
    private void awaitExchanging(Replica replica, Sinks.One<SalesforceSession> exchange, String what) {
        awaitTrue(() -> exchange.currentSubscriberCount() > 0
                && Boolean.TRUE.equals(raw.hasKey(replica.store.entries().entry(BY_EMAIL).names().get(0).lockKey()).block()), what);
    }

    @Test
    void evictingAUserKeyedByAnotherClaimActsOnEveryReplicaAndInRedis() {
        Replica a = replica();
        Replica b = replica();
        assertThat(get(a, BY_EMAIL).accessToken()).isEqualTo("sf-1");
        awaitWritten(a, BY_EMAIL, "sf-1");
        assertThat(get(b, BY_EMAIL).accessToken()).as("read from Redis").isEqualTo("sf-1");
        time.advance(Duration.ofSeconds(1));

        StepVerifier.create(b.cache.invalidateSubject(USER)).expectNext(1L).verifyComplete();
        awaitTrue(() -> a.cache.estimatedSize() == 0, "a dropped the user's session");
        assertThat(raw.hasKey(entry(a, BY_EMAIL)).block()).as("the entry is gone from Redis").isFalse();
        time.advance(Duration.ofSeconds(1));

        assertThat(get(replica(), BY_EMAIL).accessToken()).as("a new exchange").isEqualTo("sf-2");
    }

    @Test
    void anExchangeInFlightDuringTheEvictionIsNotServedFromRedisAfterIt() {
        Replica a = replica();
        Replica b = replica();
        Sinks.One<SalesforceSession> slow = Sinks.one();
        a.cache.get(BY_EMAIL, LIFETIME, slow::asMono).subscribe();
        awaitExchanging(a, slow, "a exchanging");
        time.advance(Duration.ofSeconds(1));

        StepVerifier.create(b.cache.invalidateSubject(USER)).expectNext(0L).verifyComplete();
        awaitTrue(() -> a.cache.estimatedSize() == 0, "the notice reached a, which dropped its load in flight");
        time.advance(Duration.ofSeconds(1));
        slow.tryEmitValue(session("obtained-for-the-evicted-user", time.millis()));
        awaitWritten(a, BY_EMAIL, "obtained-for-the-evicted-user");
        assertThat(a.cache.cached(BY_EMAIL, this::exchange)).as("not kept where it was obtained either").isNull();

        assertThat(get(replica(), BY_EMAIL).accessToken()).as("written back, but begun before the eviction")
                .isEqualTo("sf-1");
    }

    @Test
    void anExchangeInFlightOnAReplicaWhoseClockRunsAheadIsNotServedAfterTheEviction() {
        Replica fast = replica(Replica.ACME, Clock.offset(time, Duration.ofSeconds(10)));
        Replica evictor = replica();
        Sinks.One<SalesforceSession> slow = Sinks.one();
        fast.cache.get(BY_EMAIL, LIFETIME, slow::asMono).subscribe();
        awaitExchanging(fast, slow, "fast exchanging");
        time.advance(Duration.ofSeconds(1));

        StepVerifier.create(evictor.cache.invalidateSubject(USER)).expectNext(0L).verifyComplete();
        awaitTrue(() -> fast.cache.estimatedSize() == 0, "the notice reached the fast replica");
        time.advance(Duration.ofSeconds(1));
        slow.tryEmitValue(session("obtained-for-the-evicted-user", time.millis()));
        awaitWritten(fast, BY_EMAIL, "obtained-for-the-evicted-user");

        assertThat(get(replica(), BY_EMAIL).accessToken())
                .as("its clock says it began after the eviction; it began before, under no tombstone").isEqualTo("sf-1");
        assertThat(get(evictor, BY_EMAIL).accessToken()).as("nor on the evicting replica").isEqualTo("sf-1");
    }

    @Test
    void aSessionExchangedAfterTheEvictionIsServedByEveryReplicaWhateverTheirClocks() {
        Replica evictor = replica(Replica.ACME, Clock.offset(time, Duration.ofSeconds(10)));
        Replica slow = replica(Replica.ACME, Clock.offset(time, Duration.ofSeconds(-10)));
        assertThat(get(slow, BY_EMAIL).accessToken()).isEqualTo("sf-1");
        awaitWritten(slow, BY_EMAIL, "sf-1");
        assertThat(get(evictor, BY_EMAIL).accessToken()).as("written before any eviction: served").isEqualTo("sf-1");

        StepVerifier.create(evictor.cache.invalidateSubject(USER)).expectNext(1L).verifyComplete();
        awaitTrue(() -> slow.cache.estimatedSize() == 0, "the notice reached the slow replica");
        time.advance(Duration.ofSeconds(1));
        assertThat(get(slow, BY_EMAIL).accessToken()).as("a new exchange, begun after the eviction").isEqualTo("sf-2");
        awaitWritten(slow, BY_EMAIL, "sf-2");

        assertThat(get(replica(), BY_EMAIL).accessToken()).as("read from Redis by another replica").isEqualTo("sf-2");
        assertThat(get(evictor, BY_EMAIL).accessToken()).as("and by the evictor, whose clock is 20 s ahead").isEqualTo("sf-2");
        assertThat(exchanges).hasValue(2);
    }

    @Test
    void aValueInTheFormatOfEarlierVersionsIsAMissNotAnError() {
        Replica a = replica();
        SessionSeal.Name name = a.store.entries().entry(BY_EMAIL).names().get(0);
        raw.opsForValue().set(name.redisKey(), SessionSealTest.versionOne(a.store.entries().seal(), SessionSealTest.K1, name,
                session("written-by-an-older-gateway", time.millis()), time.millis(), BY_EMAIL.subject()), Duration.ofHours(1)).block();

        assertThat(get(a, BY_EMAIL).accessToken()).isEqualTo("sf-1");
        awaitWritten(a, BY_EMAIL, "sf-1");
        assertThat(get(replica(), BY_EMAIL).accessToken()).as("replaced by a value of this version").isEqualTo("sf-1");
    }

    @Test
    void aReplayedOldValueIsNotServed() {
        Replica a = replica();
        get(a, BY_EMAIL);
        awaitWritten(a, BY_EMAIL, "sf-1");
        byte[] recorded = raw.opsForValue().get(entry(a, BY_EMAIL)).block();
        time.advance(Duration.ofSeconds(1));
        a.cache.invalidateSubject(USER).block(Duration.ofSeconds(5));

        raw.opsForValue().set(entry(a, BY_EMAIL), recorded, Duration.ofHours(1)).block();
        time.advance(Duration.ofSeconds(1));
        assertThat(get(replica(), BY_EMAIL).accessToken()).isEqualTo("sf-2");
    }

    @Test
    void anEvictionThatCannotReachRedisFailsInsteadOfClaimingSuccess() {
        Replica a = replica();
        get(a, BY_EMAIL);
        redis.stop();
        try {
            StepVerifier.create(a.cache.invalidateSubject(USER)).expectError().verify(Duration.ofSeconds(10));
            assertThat(a.cache.estimatedSize()).as("dropped here all the same").isZero();
        } finally {
            redis.start();
        }
    }

    @Test
    void aReplicaWhoseConnectionToRedisWasLostDropsItsLocalSessionsWhenItIsBack() {
        Replica a = replica();
        get(a, BY_EMAIL);
        awaitWritten(a, BY_EMAIL, "sf-1");
        redis.stop(); // notices sent now would be missed: Lettuce reconnects and subscribes again on its own
        try {
            Replica.sleep(300);
            assertThat(a.cache.estimatedSize()).as("served alone meanwhile").isEqualTo(1);
        } finally {
            redis.start();
        }
        awaitTrue(() -> a.cache.estimatedSize() == 0, "local sessions dropped once Redis is back");
    }

    @Test
    void aSessionWhoseRestUrlTheAllowlistRefusesIsAMiss() {
        Replica wide = replica();
        get(wide, BY_EMAIL);
        awaitWritten(wide, BY_EMAIL, "sf-1");
        StoredRegistration narrow = new StoredRegistration("acme", Replica.ACME.deployment(),
                url -> url.getHost().equals("other.my.salesforce.com"), Duration.ofHours(2));

        assertThat(get(replica(narrow), BY_EMAIL).accessToken()).isEqualTo("sf-2");
    }

    @Test
    void anotherDeploymentSharingRedisAndKeyNeverReadsTheseSessions() {
        Replica ours = replica();
        get(ours, BY_EMAIL);
        awaitWritten(ours, BY_EMAIL, "sf-1");
        StoredRegistration sandbox = new StoredRegistration("acme", "https://acme--uat.sandbox.my.salesforce.com client-1",
                url -> true, Duration.ofHours(2));

        Replica theirs = replica(sandbox);
        assertThat(entry(theirs, BY_EMAIL)).isNotEqualTo(entry(ours, BY_EMAIL));
        assertThat(get(theirs, BY_EMAIL).accessToken()).isEqualTo("sf-2");
    }

    @Test
    void anotherClaimValueOfTheSameUserIsNotServedTheirSession() {
        Replica a = replica();
        get(a, BY_EMAIL);
        awaitWritten(a, BY_EMAIL, "sf-1");
        SessionKey otherEmail = new SessionKey("acme", USER + " email=mallory@example.com");

        assertThat(get(replica(), otherEmail).accessToken()).isEqualTo("sf-2");
    }
}
