package io.sfgateway.tokenexchange;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WARN line per state transition of a circuit breaker, instead of one per call refused while
 * it is open. Shared by the token exchange's breakers and the shared store's.
 */
public final class BreakerTransitions {

    private static final Logger log = LoggerFactory.getLogger(BreakerTransitions.class);

    private BreakerTransitions() {
    }

    /** Logs each of {@code breaker}'s transitions from now on. */
    public static void log(CircuitBreaker breaker) {
        breaker.getEventPublisher().onStateTransition(event -> log.warn("Circuit breaker {}: {} -> {}",
                event.getCircuitBreakerName(), event.getStateTransition().getFromState(),
                event.getStateTransition().getToState()));
    }
}
