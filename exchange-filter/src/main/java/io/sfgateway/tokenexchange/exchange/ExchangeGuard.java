package io.sfgateway.tokenexchange.exchange;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.sfgateway.tokenexchange.BreakerTransitions;
import io.sfgateway.tokenexchange.ExchangeFailure;
import io.sfgateway.tokenexchange.ExchangeFailure.Kind;
import io.sfgateway.tokenexchange.SalesforceSession;
import java.time.Duration;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * One registration's protection around its token exchanges, a Reactor operator applied the way
 * Resilience4j's own are: {@code exchanger.exchange(token).transformDeferred(guard)}. Inside, in
 * order from the caller: Resilience4j's {@link BulkheadOperator} ({@code max-concurrent}
 * exchanges; over it, refused at once), its {@link CircuitBreakerOperator}, then the exchange
 * timeout. Each refusal becomes the {@link ExchangeFailure} the error writer answers:
 * {@code UNAVAILABLE} (bulkhead full), {@code CIRCUIT_OPEN} (with the breaker's open wait as
 * {@code Retry-After}), {@code TIMEOUT}.
 *
 * <p>What the breaker counts as a failure is its configuration's business: the library gives it
 * {@link ExchangeBreakerPolicy} (a refused subject token or session is a success, whatever the user
 * configured under {@code resilience4j.circuitbreaker.instances.<name>}).
 *
 * <p>The timeout is Reactor's {@code Mono.timeout} on a given {@link Scheduler} rather than
 * Resilience4j's {@code TimeLimiterOperator}: that one always fires on Reactor's parallel
 * scheduler, and the gateway wants the 503 that follows written from a Netty event loop.
 */
public final class ExchangeGuard implements UnaryOperator<Mono<SalesforceSession>> {

    private final CircuitBreaker circuitBreaker;
    private final Bulkhead bulkhead;
    private final Duration timeout;
    private final long retryAfterSeconds;
    private final Scheduler timer;
    private final CircuitBreakerOperator<SalesforceSession> breakerOperator;
    private final BulkheadOperator<SalesforceSession> bulkheadOperator;

    /**
     * @param timer where the timeout fires; the gateway passes Netty's event loops, so that the
     *     503 that follows is written from an event-loop thread like every other answer
     */
    public ExchangeGuard(CircuitBreaker circuitBreaker, Bulkhead bulkhead, Duration timeout, Scheduler timer) {
        this.circuitBreaker = circuitBreaker;
        this.bulkhead = bulkhead;
        this.timeout = timeout;
        this.timer = timer;
        this.breakerOperator = CircuitBreakerOperator.of(circuitBreaker);
        this.bulkheadOperator = BulkheadOperator.of(bulkhead);
        long openMillis = circuitBreaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1);
        this.retryAfterSeconds = Math.max(1, (openMillis + 999) / 1000);
        BreakerTransitions.log(circuitBreaker);
    }

    public CircuitBreaker circuitBreaker() {
        return circuitBreaker;
    }

    /** The guarded exchange; use it through {@code transformDeferred}, so each subscription is guarded anew. */
    @Override
    public Mono<SalesforceSession> apply(Mono<SalesforceSession> exchange) {
        return apply(exchange, UnaryOperator.identity());
    }

    /**
     * The guarded exchange, {@code made} applied to the call as it is made (the exchange under its
     * timeout), inside the breaker and the bulkhead: a call they refuse is never made, so
     * {@code made} (an observation, for instance) never sees it.
     */
    public Mono<SalesforceSession> apply(Mono<SalesforceSession> exchange, UnaryOperator<Mono<SalesforceSession>> made) {
        return made.apply(exchange
                        .timeout(timeout, Mono.error(() -> new ExchangeFailure(Kind.TIMEOUT,
                                "no answer from the token endpoint within " + timeout.toMillis() + " ms", 1)), timer))
                .transformDeferred(breakerOperator)
                .onErrorMap(CallNotPermittedException.class, open -> new ExchangeFailure(Kind.CIRCUIT_OPEN,
                        "circuit breaker " + circuitBreaker.getName() + " is " + circuitBreaker.getState(), retryAfterSeconds))
                .transformDeferred(bulkheadOperator)
                .onErrorMap(BulkheadFullException.class, full -> new ExchangeFailure(Kind.UNAVAILABLE,
                        "more than " + bulkhead.getBulkheadConfig().getMaxConcurrentCalls() + " exchanges in flight", 1));
    }
}
