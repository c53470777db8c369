package io.sfgateway.tokenexchange.shared;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.lettuce.core.ClientOptions;
import io.sfgateway.tokenexchange.config.TokenExchangeProperties;
import io.sfgateway.tokenexchange.session.SessionCache;
import io.sfgateway.tokenexchange.session.SessionEvents;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** One gateway replica as far as sessions go: its own Redis connection, store and local cache. */
final class Replica implements AutoCloseable {

    final LettuceConnectionFactory factory;
    final RedisSessionStore store;
    final SessionCache cache;

    Replica(int redisPort, String sealingKeyId, Map<String, byte[]> keys, Duration lockTtl,
            com.github.benmanes.caffeine.cache.Ticker ticker, Clock clock) {
        this(redisPort, sealingKeyId, keys, lockTtl, ticker, clock, StoreReads.NONE, true);
    }

    /** The one registration, allowing sessions on any host. */
    static final StoredRegistration ACME = new StoredRegistration("acme", "https://acme.my.salesforce.com client-1",
            url -> true, Duration.ofHours(2));

    /** The product's default {@code cache.shared.timeout}, read from its properties rather than copied. */
    static final Duration DEFAULT_TIMEOUT = new TokenExchangeProperties().getCache().shared().timeout();

    /** At the product's default Redis timeout. */
    Replica(int redisPort, String sealingKeyId, Map<String, byte[]> keys, Duration lockTtl,
            com.github.benmanes.caffeine.cache.Ticker ticker, Clock clock, StoreReads reads, boolean awaitRedis) {
        this(redisPort, new SharedStoreSettings(sealingKeyId, keys, DEFAULT_TIMEOUT, lockTtl, List.of(ACME)), ticker, clock,
                reads, awaitRedis);
    }

    /** A replica of one deployment: its registrations are {@code settings}' own. */
    Replica(int redisPort, SharedStoreSettings settings, com.github.benmanes.caffeine.cache.Ticker ticker, Clock clock,
            StoreReads reads, boolean awaitRedis) {
        factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", redisPort),
                LettuceClientConfiguration.builder()
                        .clientOptions(SharedStores.clientOptions(ClientOptions.builder()).build()).build());
        factory.afterPropertiesSet();
        factory.start();
        store = SharedStores.create(factory, settings, CircuitBreakerRegistry.ofDefaults(), clock, reads);
        cache = new SessionCache(10_000, ticker, SessionEvents.NONE, store);
        if (awaitRedis) {
            awaitConnected();
        }
    }

    void awaitConnected() {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!store.entries().link().connected()) {
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
