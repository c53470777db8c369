package io.sfgateway.tokenexchange.shared;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.sfgateway.tokenexchange.session.SessionCache;
import io.sfgateway.tokenexchange.session.SessionEvents;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** One gateway replica as far as sessions go: its own Redis connection, store and local cache. */
final class Replica implements AutoCloseable {

    final LettuceConnectionFactory factory;
    final RedisSessionStore store;
    final SessionCache cache;

    Replica(int redisPort, String sealingKeyId, Map<String, byte[]> keys, Duration lockTtl,
            com.github.benmanes.caffeine.cache.Ticker ticker, Clock clock) {
        this(redisPort, sealingKeyId, keys, lockTtl, ticker, clock, StoreReads.NONE, true, Duration.ofSeconds(1));
    }

    /**
     * @param redisTimeout the store's Redis timeout. 1 s unless a test is about Redis being gone: on two cores
     *     shared with a whole build, a replica's first Redis calls in a fresh JVM can take longer than the 50 ms
     *     default, and the store would then rightly exchange alone, which the single-flight counts must not see.
     */
    Replica(int redisPort, String sealingKeyId, Map<String, byte[]> keys, Duration lockTtl,
            com.github.benmanes.caffeine.cache.Ticker ticker, Clock clock, StoreReads reads, boolean awaitRedis,
            Duration redisTimeout) {
        factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", redisPort));
        factory.afterPropertiesSet();
        factory.start();
        store = SharedStores.create(factory, sealingKeyId, keys, redisTimeout, lockTtl, List.of("acme"),
                CircuitBreakerRegistry.ofDefaults(), clock, reads);
        cache = new SessionCache(10_000, ticker, SessionEvents.NONE, store);
        if (awaitRedis) {
            awaitConnected();
        }
    }

    void awaitConnected() {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!store.link().connected()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("replica did not connect to Redis");
            }
            sleep(10);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        store.close();
        factory.destroy();
    }
}
