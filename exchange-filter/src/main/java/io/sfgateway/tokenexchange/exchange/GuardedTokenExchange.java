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
 * {@link ExchangeGuard}, observed as {@value ObservedCall#EXCHANGE} (a span of the caller's trace, tags
 * {@code registration} and {@code outcome}, the exchange timer's outcomes).
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
        return observed.observe(exchanger.exchange(subject.token()).transformDeferred(guard), observations,
                (session, error) -> outcome(error));
    }

    /** The exchange timer's outcome; an error that is not an {@link ExchangeFailure} is an {@code error}. */
    private static String outcome(Throwable error) {
        if (error == null) {
            return ExchangeFailure.outcome(null);
        }
        return error instanceof ExchangeFailure failure ? ExchangeFailure.outcome(failure) : "error";
    }
}
