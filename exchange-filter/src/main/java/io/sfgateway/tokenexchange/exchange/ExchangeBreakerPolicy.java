package io.sfgateway.tokenexchange.exchange;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.sfgateway.tokenexchange.ExchangeFailure;
import java.util.function.Predicate;

/**
 * What the token exchange's circuit breaker counts, expressed in its {@link CircuitBreakerConfig}.
 * Only availability failures (timeouts, 5xx, unreachable, rate limited but for a throttled user)
 * are failures. A refused subject token or a refused session is a healthy answer from
 * Salesforce: the breaker records it as a success, whatever else the configuration says.
 *
 * <p>The open breaker's refusal ({@code CallNotPermittedException}) carries no stack trace: the
 * guard turns it into an {@code ExchangeFailure} at once and nothing reads the trace, while filling
 * it walks the whole Reactor stack on every refused request, the one path that runs at full rate
 * during an outage (about 5 KB and a stack walk per request, measured with async-profiler).
 */
public final class ExchangeBreakerPolicy {

    private ExchangeBreakerPolicy() {
    }

    /**
     * {@code base} with this policy: its own record and ignore rules still decide for availability
     * failures and any other error; a refusal is always a success; the breaker's own refusals
     * have no stack trace.
     */
    public static CircuitBreakerConfig appliedTo(CircuitBreakerConfig base) {
        Predicate<Throwable> record = base.getRecordExceptionPredicate();
        Predicate<Throwable> ignore = base.getIgnoreExceptionPredicate();
        return CircuitBreakerConfig.from(base)
                // The base's exception classes are already in its predicates: cleared, so they cannot count a refusal.
                .recordExceptions()
                .ignoreExceptions()
                .recordException(error -> !isRefusal(error) && record.test(error))
                .ignoreException(error -> !isRefusal(error) && ignore.test(error))
                .writableStackTraceEnabled(false)
                .build();
    }

    /** Salesforce answered, and refused: the caller's or the session's fault, not the endpoint's. */
    static boolean isRefusal(Throwable error) {
        return error instanceof ExchangeFailure failure && !failure.isAvailabilityFailure();
    }
}
