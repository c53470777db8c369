package io.sfgateway.tokenexchange.shared;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowSynchronizationStrategy;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;

/** Builds a {@link RedisSessionStore} from its parts; the auto-configuration's one entry point. */
public final class SharedStores {

    /** The store's breaker: its own, so Redis trouble never counts against a token endpoint. */
    public static final String BREAKER = "salesforce-session-store";

    private SharedStores() {
    }

    /**
     * @param keys key id to 32 raw bytes; {@code sealingKeyId} among them
     * @param timeout the longest one Redis call may take
     * @param lockTtl how long an exchange lock lives (longer than an exchange may take)
     * @param breakers the breaker comes from here: {@value #BREAKER}, configurable as any other
     */
    public static RedisSessionStore create(ReactiveRedisConnectionFactory factory, String sealingKeyId,
            Map<String, byte[]> keys, Duration timeout, Duration lockTtl, List<String> registrations,
            CircuitBreakerRegistry breakers, Clock clock) {
        return create(factory, sealingKeyId, keys, timeout, lockTtl, registrations, breakers, clock, StoreReads.NONE);
    }

    /** As above, each local miss's read from Redis timed by {@code reads}. */
    public static RedisSessionStore create(ReactiveRedisConnectionFactory factory, String sealingKeyId,
            Map<String, byte[]> keys, Duration timeout, Duration lockTtl, List<String> registrations,
            CircuitBreakerRegistry breakers, Clock clock, StoreReads reads) {
        RedisLink link = new RedisLink(factory);
        CircuitBreaker breaker = breakers.find(BREAKER).orElseGet(() -> breakers.circuitBreaker(BREAKER,
                CircuitBreakerConfig.custom()
                        .slidingWindowSize(20)
                        .minimumNumberOfCalls(10)
                        .waitDurationInOpenState(Duration.ofSeconds(5))
                        .permittedNumberOfCallsInHalfOpenState(3)
                        // Every local miss passes here, from every event loop at once: the default window
                        // serialises them behind a lock, which would park an event loop under contention.
                        .slidingWindowSynchronizationStrategy(SlidingWindowSynchronizationStrategy.LOCK_FREE)
                        .build()));
        return new RedisSessionStore(new SessionSeal(sealingKeyId, keys), link,
                new RedisGuard(breaker, timeout, link::connected), clock, lockTtl, Duration.ofMillis(50), registrations, reads);
    }
}
