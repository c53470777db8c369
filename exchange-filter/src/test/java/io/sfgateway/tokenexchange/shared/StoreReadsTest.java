package io.sfgateway.tokenexchange.shared;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.session.SessionKey;
import io.sfgateway.tokenexchange.session.SessionLifetime;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The shared store times each local miss's read from Redis by outcome ({@code salesforce.session.store.read}). */
class StoreReadsTest extends OnRealRedis {

    private static final SessionLifetime LIFETIME = new SessionLifetime(Duration.ofMinutes(100), 0.75);
    private static final Map<String, byte[]> K1 = Map.of("k1", SessionSealTest.K1);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private Replica replica(int port, StoreReads reads, boolean awaitRedis) {
        Replica replica = new Replica(port, "k1", K1, Duration.ofSeconds(2), time::nanos, time, reads, awaitRedis);
        replicas.add(replica);
        return replica;
    }

    private Mono<SalesforceSession> exchange() {
        return Mono.fromSupplier(() -> RedisSessionStoreTest.session("sf-" + exchanges.incrementAndGet(), time.millis()));
    }

    private long count(String outcome) {
        Timer timer = registry.find(StoreReads.METER).tag("outcome", outcome).timer();
        return timer == null ? -1 : timer.count();
    }

    @Test
    void aSessionAnotherReplicaWroteIsTimedAsAHit() {
        SessionKey subject = new SessionKey("acme", "jwt:https://idp hit-" + System.nanoTime());
        Replica writer = replica(redis.port(), StoreReads.NONE, true);
        Replica reader = replica(redis.port(), new StoreReads(registry), true);
        writer.cache.get(subject, LIFETIME, this::exchange).block(Duration.ofSeconds(5));
        // The writer stores after answering. Read only once the entry is there: a read that finds nothing
        // while the writer still holds its lock waits for the writer's result, which is not a read from Redis.
        String entry = writer.store.entries().entry(subject).names().get(0).redisKey();
        RedisSessionStoreTest.awaitTrue(() -> Boolean.TRUE.equals(raw.hasKey(entry).block()), "entry written");
        SalesforceSession read = reader.store.load(subject, LIFETIME,
                        () -> Mono.error(new AssertionError("no exchange on a hit")))
                .map(stored -> stored.session()).block(Duration.ofSeconds(5));
        assertThat(read.accessToken()).isEqualTo("sf-1");
        assertThat(count("hit")).isEqualTo(1);
        assertThat(count("unavailable")).isZero();
    }

    @Test
    void aSubjectRedisDoesNotHoldIsTimedAsAMissAndExchanged() {
        SessionKey subject = new SessionKey("acme", "jwt:https://idp miss-" + System.nanoTime());
        Replica reader = replica(redis.port(), new StoreReads(registry), true);
        assertThat(reader.cache.get(subject, LIFETIME, this::exchange).block(Duration.ofSeconds(5)).accessToken())
                .isEqualTo("sf-1");
        assertThat(count("miss")).isEqualTo(1);
        assertThat(count("hit")).isZero();
        assertThat(exchanges).hasValue(1);
    }

    @Test
    void noRedisIsTimedAsUnavailableAndTheRequestIsStillServed() throws IOException {
        int nobody;
        try (ServerSocket socket = new ServerSocket(0)) {
            nobody = socket.getLocalPort();
        }
        Replica alone = replica(nobody, new StoreReads(registry), false);
        SessionKey subject = new SessionKey("acme", "jwt:https://idp alone");
        assertThat(alone.cache.get(subject, LIFETIME, this::exchange).block(Duration.ofSeconds(5)).accessToken())
                .isEqualTo("sf-1");
        assertThat(count("unavailable")).isEqualTo(1);
        assertThat(count("hit") + count("miss")).isZero();
    }

    @Test
    void theTimerHasABucketAtTwoMilliseconds() {
        new StoreReads(registry);
        Timer hit = registry.find(StoreReads.METER).tag("outcome", "hit").timer();
        assertThat(hit).isNotNull();
        hit.record(Duration.ofMillis(1));
        hit.record(Duration.ofMillis(3));
        CountAtBucket[] buckets = hit.takeSnapshot().histogramCounts();
        CountAtBucket twoMs = Arrays.stream(buckets)
                .filter(b -> b.bucket(java.util.concurrent.TimeUnit.NANOSECONDS) == Duration.ofMillis(2).toNanos())
                .findFirst().orElseThrow();
        assertThat(twoMs.count()).isEqualTo(1);
    }

    @Test
    void withoutARegistryTheReadIsLeftAsItIs() {
        Mono<String> read = Mono.just("x");
        assertThat(StoreReads.NONE.time(read)).isSameAs(read);
    }
}
