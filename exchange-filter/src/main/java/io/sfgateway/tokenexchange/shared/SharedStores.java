package io.sfgateway.tokenexchange.shared;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowSynchronizationStrategy;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.MaintNotificationsConfig;
import java.time.Clock;
import java.time.Duration;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;

/** Builds a {@link RedisSessionStore} from its parts; the auto-configuration's one entry point. */
public final class SharedStores {

    /** The store's breaker: its own, so Redis trouble never counts against a token endpoint. */
    public static final String BREAKER = "salesforce-session-store";

    /**
     * How often a replica waiting for another's exchange looks again when no announcement came. The
     * announcement (pub/sub) wakes it as soon as the session is written; the poll is the fallback,
     * and in a cold burst every waiting subject polls at once, so it is kept well apart.
     */
    static final Duration POLL = Duration.ofMillis(200);

    private SharedStores() {
    }

    /**
     * @param breakers the breaker comes from here: {@value #BREAKER}, configurable as any other
     * @param reads times each local miss's read from Redis ({@link StoreReads#NONE}: not timed)
     */
    public static RedisSessionStore create(ReactiveRedisConnectionFactory factory, SharedStoreSettings settings,
            CircuitBreakerRegistry breakers, Clock clock, StoreReads reads) {
        RedisLink link = new RedisLink(factory);
        CircuitBreaker breaker = breakers.find(BREAKER)
                .orElseGet(() -> breakers.circuitBreaker(BREAKER, breakerConfig(settings.timeout())));
        SealedEntries entries = new SealedEntries(new SessionSeal(settings.sealingKeyId(), settings.keys()), link,
                new RedisGuard(breaker, settings.timeout(), link::connected), clock, settings.registrations());
        return new RedisSessionStore(entries, settings.lockTtl(), POLL, reads);
    }

    /**
     * What the store needs of the application's Lettuce client (the ready gateway and the
     * auto-configuration apply it to Spring Boot's):
     * <ul>
     *   <li>commands refused at once while the connection is down: Lettuce's default queues them
     *       until it reconnects, so a dead Redis would look like a slow one, and a miss would wait
     *       for it instead of exchanging alone;</li>
     *   <li>no maintenance-notification handshake ({@code CLIENT MAINT_NOTIFICATIONS}, a managed-Redis
     *       feature the store does not use), which the documented ACL does not grant.</li>
     * </ul>
     */
    public static ClientOptions.Builder clientOptions(ClientOptions.Builder options) {
        return options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .maintNotificationsConfig(MaintNotificationsConfig.disabled());
    }

    /**
     * The breaker opens for a Redis that is down or failing, not for a node that was slow for a
     * moment, since an open breaker makes every replica exchange alone (an exchange per replica
     * per new subject, each a Salesforce login):
     * <ul>
     *   <li>a time window of 10 s and at least 20 calls in it, so a handful of calls never decides;</li>
     *   <li>failures (refused, reset, denied) open it at half the calls in the window;</li>
     *   <li>a call past {@code timeout} is not a failure ({@link RedisGuard} hands it over as a slow
     *       call): a CPU-starved node, a GC pause or a cold burst makes some answers late, and it is
     *       the node, not Redis. Only a window in which every call was late (Redis hanging or
     *       unreachable without a reset) opens it.</li>
     * </ul>
     */
    static CircuitBreakerConfig breakerConfig(Duration timeout) {
        return CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED)
                .slidingWindowSize(10)
                .minimumNumberOfCalls(20)
                .failureRateThreshold(50)
                .slowCallDurationThreshold(timeout)
                .slowCallRateThreshold(100)
                .waitDurationInOpenState(Duration.ofSeconds(5))
                .permittedNumberOfCallsInHalfOpenState(3)
                // Every local miss passes here, from every event loop at once: the default window
                // serialises them behind a lock, which would park an event loop under contention.
                .slidingWindowSynchronizationStrategy(SlidingWindowSynchronizationStrategy.LOCK_FREE)
                // Its refusal becomes Unavailable.BREAKER_OPEN at once (RedisGuard): a stack trace would never be read.
                .writableStackTraceEnabled(false)
                .build();
    }
}
