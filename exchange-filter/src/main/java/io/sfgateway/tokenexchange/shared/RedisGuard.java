package io.sfgateway.tokenexchange.shared;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.sfgateway.tokenexchange.BreakerTransitions;
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
 * open. Any failure comes out as {@link Unavailable}, which says whether Redis refused or failed
 * the call or was merely slow ({@link Unavailable#timedOut()}).
 *
 * <p>A call past the timeout is given to the breaker as a slow call, not as a failure: the breaker
 * ({@link SharedStores}) opens on failures, or when every call of its window was slow, never
 * because a loaded node was late with some answers for a moment.
 *
 * <p>Answers continue on Reactor's parallel threads, not on Lettuce's: one Lettuce thread serves
 * the whole connection, and whatever the request does next (an exchange, sealing, forwarding)
 * would otherwise queue every other Redis answer behind it.
 */
final class RedisGuard {

    private static final Logger log = LoggerFactory.getLogger(RedisGuard.class);
    /** What a call that ran past the timeout answers inside the breaker: a (slow) success. */
    private static final Object TIMED_OUT = new Object();
    /** What a call that completed without a value answers inside the breaker. */
    private static final Object NOTHING = new Object();

    private final CircuitBreaker breaker;
    private final Duration timeout;
    private final BooleanSupplier connected;

    RedisGuard(CircuitBreaker breaker, Duration timeout, BooleanSupplier connected) {
        this.breaker = breaker;
        this.timeout = timeout;
        this.connected = connected;
        BreakerTransitions.log(breaker);
    }

    /** {@code redisCall} is only invoked once connected. */
    <T> Mono<T> call(Supplier<Mono<T>> redisCall) {
        return call(redisCall, timeout);
    }

    /**
     * A call nobody waits for (a write in the background) may take {@code longer}: cut short at the
     * store's timeout, Lettuce drops a command it has not sent yet, and a session written late is
     * worth more than one not written at all.
     */
    <T> Mono<T> background(Supplier<Mono<T>> redisCall, Duration longer) {
        return call(redisCall, longer.compareTo(timeout) > 0 ? longer : timeout);
    }

    @SuppressWarnings("unchecked")
    private <T> Mono<T> call(Supplier<Mono<T>> redisCall, Duration timeout) {
        return Mono.defer(() -> {
            if (!connected.getAsBoolean()) {
                return Mono.error(Unavailable.NOT_CONNECTED);
            }
            return redisCall.get()
                    .<Object>map(value -> value)
                    .defaultIfEmpty(NOTHING)
                    .timeout(timeout, Mono.just(TIMED_OUT))
                    .transformDeferred(CircuitBreakerOperator.of(breaker))
                    // After the timeout and the breaker: they judge Redis, not this node's queue of work.
                    .publishOn(Schedulers.parallel())
                    .flatMap(answer -> answer == TIMED_OUT ? Mono.error(Unavailable.TIMED_OUT)
                            : answer == NOTHING ? Mono.empty() : Mono.just((T) answer));
        }).onErrorMap(error -> !(error instanceof Unavailable), error -> {
            log.debug("Redis call failed: {}", error.getClass().getName());
            return error instanceof CallNotPermittedException ? Unavailable.BREAKER_OPEN : new Unavailable(error);
        });
    }

    CircuitBreaker breaker() {
        return breaker;
    }

    Duration timeout() {
        return timeout;
    }

    /** Redis did not answer usefully in time; carries no request data. */
    static final class Unavailable extends RuntimeException {

        static final Unavailable NOT_CONNECTED = new Unavailable("not connected", false);
        static final Unavailable BREAKER_OPEN = new Unavailable("breaker open", false);
        static final Unavailable TIMED_OUT = new Unavailable("timed out", true);

        private final boolean timedOut;

        private Unavailable(String reason, boolean timedOut) {
            super(reason, null, false, false);
            this.timedOut = timedOut;
        }

        Unavailable(Throwable cause) {
            this(cause.getClass().getSimpleName(), false);
        }

        /** Redis was slow, not known to be down or failing: the next call may well answer. */
        boolean timedOut() {
            return timedOut;
        }
    }
}
