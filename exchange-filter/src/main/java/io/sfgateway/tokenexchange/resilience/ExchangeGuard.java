package io.sfgateway.tokenexchange.resilience;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.sfgateway.tokenexchange.ExchangeFailure;
import io.sfgateway.tokenexchange.ExchangeFailure.Kind;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * One registration's protection around its token exchanges, composed onto a {@code Mono}:
 * a bulkhead of {@code max-concurrent} exchanges (over it: refused at once), then a circuit
 * breaker, then the exchange timeout.
 *
 * <p>Only availability failures (timeouts, 5xx, unreachable) reach the breaker as errors. A
 * refused subject token or a refused session is a healthy answer from Salesforce, so it passes
 * through the breaker as a success and is raised again after it, whatever the user configured
 * under {@code resilience4j.circuitbreaker.instances.<name>}.
 */
public final class ExchangeGuard {

    private static final Logger log = LoggerFactory.getLogger(ExchangeGuard.class);

    private final CircuitBreaker circuitBreaker;
    private final Bulkhead bulkhead;
    private final Duration timeout;
    private final long retryAfterSeconds;
    private final Scheduler timer;

    public ExchangeGuard(CircuitBreaker circuitBreaker, Bulkhead bulkhead, Duration timeout) {
        this(circuitBreaker, bulkhead, timeout, Schedulers.parallel());
    }

    /**
     * @param timer where the timeout fires; the gateway passes Netty's event loops, so that the
     *     503 that follows is written from an event-loop thread like every other answer
     */
    public ExchangeGuard(CircuitBreaker circuitBreaker, Bulkhead bulkhead, Duration timeout, Scheduler timer) {
        this.circuitBreaker = circuitBreaker;
        this.bulkhead = bulkhead;
        this.timeout = timeout;
        this.timer = timer;
        long openMillis = circuitBreaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1);
        this.retryAfterSeconds = Math.max(1, (openMillis + 999) / 1000);
        // One line per transition instead of one per request refused while open.
        circuitBreaker.getEventPublisher().onStateTransition(event -> log.warn("Circuit breaker {}: {} -> {}",
                event.getCircuitBreakerName(), event.getStateTransition().getFromState(),
                event.getStateTransition().getToState()));
    }

    public CircuitBreaker circuitBreaker() {
        return circuitBreaker;
    }

    public <T> Mono<T> protect(Mono<T> exchange) {
        return exchange
                .map(Outcome::<T>success)
                .timeout(timeout, Mono.error(() -> new ExchangeFailure(Kind.TIMEOUT,
                        "no answer from the token endpoint within " + timeout.toMillis() + " ms", 1)), timer)
                .onErrorResume(ExchangeFailure.class,
                        failure -> failure.isAvailabilityFailure() ? Mono.error(failure) : Mono.just(Outcome.failure(failure)))
                .transformDeferred(CircuitBreakerOperator.of(circuitBreaker))
                .onErrorMap(CallNotPermittedException.class, open -> new ExchangeFailure(Kind.CIRCUIT_OPEN,
                        "circuit breaker " + circuitBreaker.getName() + " is " + circuitBreaker.getState(), retryAfterSeconds))
                .transformDeferred(BulkheadOperator.of(bulkhead))
                .onErrorMap(BulkheadFullException.class, full -> new ExchangeFailure(Kind.UNAVAILABLE,
                        "more than " + bulkhead.getBulkheadConfig().getMaxConcurrentCalls() + " exchanges in flight", 1))
                .flatMap(Outcome::unwrap);
    }

    /** A value or a non-availability failure, carried past the breaker as a success. */
    private record Outcome<T>(T value, ExchangeFailure failure) {

        static <T> Outcome<T> success(T value) {
            return new Outcome<>(value, null);
        }

        static <T> Outcome<T> failure(ExchangeFailure failure) {
            return new Outcome<>(null, failure);
        }

        Mono<T> unwrap() {
            return failure == null ? Mono.just(value) : Mono.error(failure);
        }
    }
}
