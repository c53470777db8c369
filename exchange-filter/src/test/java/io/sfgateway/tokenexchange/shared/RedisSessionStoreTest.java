package io.sfgateway.tokenexchange.shared;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfgateway.tokenexchange.ExchangeFailure;
import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.SessionGrant;
import io.sfgateway.tokenexchange.session.SessionKey;
import io.sfgateway.tokenexchange.session.SessionLifetime;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The shared store on a real redis-server, with several replicas in one JVM (see docs/SCALING.md). */
class RedisSessionStoreTest extends OnRealRedis {

    private static final SessionKey ALICE = new SessionKey("acme", "jwt:https://idp alice");
    private static final SessionLifetime LIFETIME = new SessionLifetime(Duration.ofMinutes(100), 0.75);
    private static final Map<String, byte[]> K1 = Map.of("k1", SessionSealTest.K1);

    private Replica replica() {
        return replica("k1", K1, Duration.ofSeconds(2));
    }

    private Replica replica(String keyId, Map<String, byte[]> keys, Duration lockTtl) {
        Replica replica = new Replica(redis.port(), keyId, keys, lockTtl, time::nanos, time);
        replicas.add(replica);
        return replica;
    }

    /** An exchange that takes 50 ms and mints a new access token each time. */
    private Mono<SalesforceSession> exchange() {
        return Mono.delay(Duration.ofMillis(50)).map(tick -> session("sf-" + exchanges.incrementAndGet(), time.millis()));
    }

    @Test
    void concurrentFirstRequestsOnThreeReplicasShareOneExchange() {
        List<Replica> pods = List.of(replica(), replica(), replica());
        List<Mono<SalesforceSession>> requests = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            requests.add(pods.get(i % 3).cache.get(ALICE, LIFETIME, this::exchange));
        }
        List<SalesforceSession> answers = Flux.merge(requests).collectList().block(Duration.ofSeconds(10));
        assertThat(answers).hasSize(30).extracting(SalesforceSession::accessToken).containsOnly("sf-1");
        assertThat(exchanges).hasValue(1);
    }

    @Test
    void aSessionObtainedByOneReplicaIsReadByAnotherWithItsAge() {
        Replica a = replica();
        Replica b = replica();
        SalesforceSession first = a.cache.get(ALICE, LIFETIME, this::exchange).block(Duration.ofSeconds(5));
        awaitTrue(() -> raw.hasKey(names(a).get(0)).block(), "entry written");
        time.advance(Duration.ofMinutes(98));
        assertThat(b.cache.get(ALICE, LIFETIME, this::exchange).block(Duration.ofSeconds(5)).accessToken())
                .isEqualTo(first.accessToken());
        time.advance(Duration.ofMinutes(2)); // 100 min after it was obtained: past its usable life on b too
        awaitTrue(() -> b.cache.cached(ALICE, this::exchange) == null, "expired on b without time moving on");
        assertThat(exchanges).hasValue(1);
    }

    @Test
    void valuesThatDoNotOpenAreIgnoredAndReplacedNeverServed() {
        Replica writer = replica();
        SalesforceSession good = writer.cache.get(ALICE, LIFETIME, this::exchange).block(Duration.ofSeconds(5));
        String name = names(writer).get(0);
        awaitTrue(() -> raw.hasKey(name).block(), "entry written");
        byte[] sealed = raw.opsForValue().get(name).block();
        SessionSeal foreign = new SessionSeal("k1", Map.of("k1", SessionSealTest.key(9)));
        Map<String, byte[]> bad = new LinkedHashMap<>();
        byte[] tampered = sealed.clone();
        tampered[tampered.length - 20] ^= 0x40;
        bad.put("tampered", tampered);
        bad.put("truncated", Arrays.copyOf(sealed, sealed.length - 5));
        bad.put("foreign key", foreign.seal(foreign.names(Replica.ACME.deployment(), ALICE).get(0), session("forged", time.millis()), time.millis(), null, ALICE.subject()));
        bad.put("garbage", "{\"access_token\":\"forged\"}".getBytes(StandardCharsets.UTF_8));
        int expected = 1;
        for (Map.Entry<String, byte[]> value : bad.entrySet()) {
            raw.opsForValue().set(name, value.getValue()).block();
            Replica reader = replica();
            SalesforceSession served = reader.cache.get(ALICE, LIFETIME, this::exchange).block(Duration.ofSeconds(5));
            expected++;
            assertThat(served.accessToken()).as(value.getKey()).isEqualTo("sf-" + expected).isNotEqualTo("forged");
            assertThat(exchanges).as(value.getKey()).hasValue(expected);
            String written = "sf-" + expected;
            awaitTrue(() -> { // the reader's own write lands in the background: wait for it before the next case
                byte[] stored = raw.opsForValue().get(name).block();
                SessionCodec.Decoded opened = stored == null ? null : reader.store.entries().seal().open(reader.store.entries().entry(ALICE).names().get(0), stored);
                return opened != null && opened.session().accessToken().equals(written);
            }, "the replacement written");
        }
        assertThat(good.accessToken()).isEqualTo("sf-1");
    }

    @Test
    void anEvictionReachesEveryReplicaAndSparesAFresherSession() {
        Replica a = replica();
        Replica b = replica();
        SalesforceSession stale = a.cache.get(ALICE, LIFETIME, this::exchange).block(Duration.ofSeconds(5));
        awaitTrue(() -> raw.hasKey(names(a).get(0)).block(), "entry written");
        assertThat(b.cache.get(ALICE, LIFETIME, this::exchange).block(Duration.ofSeconds(5))).isEqualTo(stale);

        a.cache.evict(ALICE, stale);
        awaitTrue(() -> b.cache.cached(ALICE, this::exchange) == null, "b dropped the stale session");
        awaitTrue(() -> !raw.hasKey(names(a).get(0)).block(), "the entry is gone from Redis");

        SalesforceSession fresh = b.cache.get(ALICE, LIFETIME, this::exchange).block(Duration.ofSeconds(5));
        assertThat(fresh.accessToken()).isEqualTo("sf-2");
        awaitTrue(() -> raw.hasKey(names(a).get(0)).block(), "fresh entry written");
        a.cache.evict(ALICE, stale); // late: another replica already replaced it
        Replica.sleep(200);
        assertThat(b.cache.cached(ALICE, this::exchange)).isEqualTo(fresh);
        assertThat(replica().cache.get(ALICE, LIFETIME, this::exchange).block(Duration.ofSeconds(5))).isEqualTo(fresh);
        assertThat(exchanges).hasValue(2);
    }

    @Test
    void evictingASubjectActsOnEveryReplica() {
        Replica a = replica();
        Replica b = replica();
        a.cache.get(ALICE, LIFETIME, this::exchange).block(Duration.ofSeconds(5));
        awaitTrue(() -> raw.hasKey(names(a).get(0)).block(), "entry written");
        b.cache.get(ALICE, LIFETIME, this::exchange).block(Duration.ofSeconds(5));

        StepVerifier.create(a.cache.invalidateSubject(ALICE.subject())).expectNext(1L).verifyComplete();
        awaitTrue(() -> b.cache.estimatedSize() == 0, "b dropped the subject");
        awaitTrue(() -> !raw.hasKey(names(a).get(0)).block(), "the entry is gone from Redis");
    }

    @Test
    void aDeadHoldersLockExpiresAndOneWaiterTakesOver() {
        Replica a = replica();
        Replica b = replica();
        SessionSeal.Name name = a.store.entries().entry(ALICE).names().get(0);
        raw.opsForValue().set(name.lockKey(), "a replica that died".getBytes(StandardCharsets.UTF_8), Duration.ofMillis(600))
                .block();
        long start = System.nanoTime();
        List<SalesforceSession> answers = Flux.merge(a.cache.get(ALICE, LIFETIME, this::exchange),
                b.cache.get(ALICE, LIFETIME, this::exchange)).collectList().block(Duration.ofSeconds(10));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(500));
        assertThat(answers).extracting(SalesforceSession::accessToken).containsOnly("sf-1");
        assertThat(exchanges).hasValue(1);
    }

    @Test
    void refreshAheadIsDoneByOneReplicaForTheCluster() {
        Replica a = replica();
        Replica b = replica();
        SalesforceSession first = a.cache.get(ALICE, LIFETIME, this::exchange).block(Duration.ofSeconds(5));
        awaitTrue(() -> raw.hasKey(names(a).get(0)).block(), "entry written");
        assertThat(b.cache.get(ALICE, LIFETIME, this::exchange).block(Duration.ofSeconds(5))).isEqualTo(first);
        // The first exchange's lock is released just after its write; 76 minutes on, it is long gone.
        awaitTrue(() -> !raw.hasKey(a.store.entries().entry(ALICE).names().get(0).lockKey()).block(), "first lock released");

        time.advance(Duration.ofMinutes(76));
        assertThat(a.cache.cached(ALICE, this::exchange)).as("served at once").isEqualTo(first);
        awaitTrue(() -> !a.cache.cached(ALICE, this::exchange).equals(first), "a refreshed");
        assertThat(b.cache.cached(ALICE, this::exchange)).as("served at once").isEqualTo(first);
        awaitTrue(() -> b.cache.cached(ALICE, this::exchange).accessToken().equals("sf-2"), "b adopted a's refresh");
        assertThat(exchanges).hasValue(2);
    }

    @Test
    void rotatedKeysOpenWhatTheOldKeySealed() {
        Replica old = replica();
        SalesforceSession session = old.cache.get(ALICE, LIFETIME, this::exchange).block(Duration.ofSeconds(5));
        awaitTrue(() -> raw.hasKey(names(old).get(0)).block(), "entry written");
        Map<String, byte[]> rotated = new LinkedHashMap<>(K1);
        rotated.put("k2", SessionSealTest.K2);
        Replica updated = replica("k2", rotated, Duration.ofSeconds(2));
        assertThat(updated.cache.get(ALICE, LIFETIME, this::exchange).block(Duration.ofSeconds(5))).isEqualTo(session);
        assertThat(exchanges).hasValue(1);
    }

    @Test
    void withRedisGoneRequestsAreServedAloneAndSingleFlightResumesWhenItIsBack() {
        Replica a = replica();
        Replica b = replica();
        SalesforceSession cached = a.cache.get(ALICE, LIFETIME, this::exchange).block(Duration.ofSeconds(5));
        redis.stop();
        try {
            assertThat(a.cache.cached(ALICE, this::exchange)).isEqualTo(cached);
            for (int i = 0; i < 20; i++) {
                SessionKey someone = new SessionKey("acme", "jwt:https://idp user-" + i);
                long start = System.nanoTime();
                StepVerifier.create(b.cache.get(someone, LIFETIME, this::exchange))
                        .expectNextCount(1).verifyComplete();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1000));
            }
            assertThat(exchanges).as("each new subject exchanged alone").hasValue(21);
        } finally {
            redis.start();
        }
        SessionKey bob = new SessionKey("acme", "jwt:https://idp bob");
        awaitTrue(() -> {
            int before = exchanges.get();
            SessionKey probe = new SessionKey("acme", "jwt:https://idp probe-" + before);
            Flux.merge(a.cache.get(probe, LIFETIME, this::exchange), b.cache.get(probe, LIFETIME, this::exchange))
                    .blockLast(Duration.ofSeconds(5));
            return exchanges.get() == before + 1;
        }, "single flight across replicas again");
        int before = exchanges.get();
        Flux.merge(a.cache.get(bob, LIFETIME, this::exchange), b.cache.get(bob, LIFETIME, this::exchange))
                .blockLast(Duration.ofSeconds(5));
        assertThat(exchanges.get() - before).isEqualTo(1);
    }

    @Test
    void aFailedExchangeIsNotStoredAndReachesTheCaller() {
        Replica a = replica();
        Supplier<Mono<SalesforceSession>> refused = () -> Mono.error(
                new ExchangeFailure(ExchangeFailure.Kind.SUBJECT_REJECTED, "refused"));
        StepVerifier.create(a.cache.get(ALICE, LIFETIME, refused)).expectError(ExchangeFailure.class).verify();
        assertThat(raw.hasKey(names(a).get(0)).block()).isFalse();
        assertThat(raw.hasKey(a.store.entries().entry(ALICE).names().get(0).lockKey()).block()).as("lock released").isFalse();
    }

    private static List<String> names(Replica replica) {
        return replica.store.entries().entry(ALICE).names().stream().map(SessionSeal.Name::redisKey).toList();
    }

    static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never happened: " + what);
            }
            Replica.sleep(20);
        }
    }

    static SalesforceSession session(String accessToken, long issuedAt) {
        return new SalesforceSession(accessToken,
                SessionGrant.of(URI.create("https://acme.my.salesforce.com"), "00D", "api"), "005", issuedAt);
    }

    /** One time for the cache's ticker and the store's clock, moved by the test. */
    static final class FakeTime extends Clock {
        private final AtomicLong nanos = new AtomicLong(Duration.ofDays(20_000).toNanos());

        long nanos() {
            return nanos.get();
        }

        void advance(Duration by) {
            nanos.addAndGet(by.toNanos());
        }

        @Override
        public long millis() {
            return nanos.get() / 1_000_000;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
