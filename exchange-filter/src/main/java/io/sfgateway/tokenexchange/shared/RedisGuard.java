package io.sfgateway.tokenexchange.shared;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Every Redis call of the shared store goes through here: refused at once while not connected,
 * bounded by {@code cache.shared.timeout}, and counted by the store's own circuit breaker, so a
 * slow or dead Redis costs a request at most one timeout, then nothing while the breaker is
 * open. Any failure comes out as {@link Unavailable}, which the store answers by working alone.
 *
 * <p>Answers continue on Reactor's parallel threads, not on Lettuce's: one Lettuce thread serves
 * the whole connection, and whatever the request does next (an exchange, sealing, forwarding)
 * would otherwise queue every other Redis answer behind it.
 */
final class RedisGuard {

    private static final Logger log = LoggerFactory.getLogger(RedisGuard.class);

    private final CircuitBreaker breaker;
    private final Duration timeout;
    private final BooleanSupplier connected;

    RedisGuard(CircuitBreaker breaker, Duration timeout, BooleanSupplier connected) {
        this.breaker = breaker;
        this.timeout = timeout;
        this.connected = connected;
        breaker.getEventPublisher().onStateTransition(event -> log.warn("Circuit breaker {}: {} -> {}",
                event.getCircuitBreakerName(), event.getStateTransition().getFromState(),
                event.getStateTransition().getToState()));
    }

    /** {@code redisCall} is only invoked once connected. */
    <T> Mono<T> call(Supplier<Mono<T>> redisCall) {
        return Mono.defer(() -> connected.getAsBoolean()
                        ? redisCall.get().publishOn(Schedulers.parallel()).timeout(timeout).transformDeferred(CircuitBreakerOperator.of(breaker))
                        : Mono.error(Unavailable.NOT_CONNECTED))
                .onErrorMap(error -> !(error instanceof Unavailable), error -> {
                    log.debug("Redis call failed: {}", error.getClass().getName());
                    return new Unavailable(error);
                });
    }

    CircuitBreaker breaker() {
        return breaker;
    }

    /** Redis did not answer usefully in time; carries no request data. */
    static final class Unavailable extends RuntimeException {

        static final Unavailable NOT_CONNECTED = new Unavailable("not connected");

        Unavailable(String reason) {
            super(reason, null, false, false);
        }

        Unavailable(Throwable cause) {
            super(cause.getClass().getSimpleName(), null, false, false);
        }
    }
}
