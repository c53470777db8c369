package io.sfgateway.tokenexchange.exchange;

import io.micrometer.common.KeyValues;
import io.micrometer.observation.ObservationRegistry;
import io.sfgateway.tokenexchange.ExchangeFailure;
import io.sfgateway.tokenexchange.ObservedCall;
import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.SessionSource;
import io.sfgateway.tokenexchange.Subject;
import reactor.core.publisher.Mono;

/**
 * A registration's {@link SessionSource}: its {@link TokenExchanger} under its
 * {@link ExchangeGuard}, each call made observed as {@value ObservedCall#EXCHANGE} (a span of the caller's
 * trace, tags {@code registration} and {@code outcome}, the exchange timer's outcomes but for the guard's own
 * refusals: a call refused by the open breaker or the full bulkhead is never made and has no span).
 */
public final class GuardedTokenExchange implements SessionSource {

    private final TokenExchanger exchanger;
    private final ExchangeGuard guard;
    private final ObservedCall observed;
    private final ObservationRegistry observations;

    public GuardedTokenExchange(TokenExchanger exchanger, ExchangeGuard guard, String registration, ObservationRegistry observations) {
        this.exchanger = exchanger;
        this.guard = guard;
        this.observed = new ObservedCall(ObservedCall.EXCHANGE, "salesforce token exchange",
                KeyValues.of("registration", registration));
        this.observations = observations;
    }

    @Override
    public Mono<SalesforceSession> exchange(Subject subject) {
        // Observed inside the guard: a call the open breaker or the full bulkhead refuses is never made and has no
        // span (it is in the exchange timer and the breaker's metrics); observing it cost about 16 KB and a span per
        // request an open breaker answered, the path that runs at full rate during an outage.
        // The guard defers its breaker and bulkhead to each subscription, and the observation is deferred too.
        return guard.apply(exchanger.exchange(subject.token()),
                call -> observed.observe(call, observations, (session, error) -> outcome(error)));
    }

    /** The exchange timer's outcome; an error that is not an {@link ExchangeFailure} is an {@code error}. */
    private static String outcome(Throwable error) {
        if (error == null) {
            return ExchangeFailure.outcome(null);
        }
        return error instanceof ExchangeFailure failure ? ExchangeFailure.outcome(failure) : "error";
    }
}
