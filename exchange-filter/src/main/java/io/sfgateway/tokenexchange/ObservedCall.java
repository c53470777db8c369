package io.sfgateway.tokenexchange;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.function.BiFunction;
import reactor.core.observability.micrometer.Micrometer;
import reactor.core.publisher.Mono;

/**
 * One outbound call of the library (the token exchange, a shared-store read or lock) as a
 * Micrometer {@link Observation}: with tracing on, a span of the caller's trace, child of the
 * observation the Reactor context carries (the server request's, put there by WebFlux). Reactor's
 * own {@code tap(Micrometer.observation(...))} does the work; this only adds the {@code outcome} tag,
 * decided from the call's value or error before the observation stops.
 *
 * <p>Tags are low-cardinality and fixed by the library (registration names and outcomes): never a
 * subject, token, session id, key or URL. With {@link ObservationRegistry#NOOP} the call is
 * returned untouched.
 *
 * @param name the observation's name (also the name of the timer Micrometer's meter handler derives from it)
 * @param spanName the span's name
 * @param tags fixed low-cardinality tags
 */
public record ObservedCall(String name, String spanName, KeyValues tags) {

    public static final String OUTCOME = "outcome";
    /** The outcome of a call that was cancelled before it answered (a caller went away, a race was lost). */
    public static final String CANCELLED = "cancelled";

    /** The exchange with the token endpoint, tags {@code registration} and {@code outcome} ({@link ExchangeFailure#outcome}). */
    public static final String EXCHANGE = "salesforce.token.exchange.call";
    /** A local miss's read of the shared store, tag {@code outcome} = hit | miss | unavailable. */
    public static final String STORE_READ = "salesforce.session.store.get";
    /** Taking a subject's exchange lock in the shared store, tag {@code outcome} = acquired | held_elsewhere | unavailable. */
    public static final String STORE_LOCK = "salesforce.session.store.lock";

    /**
     * {@code call} observed; {@code outcome} names the outcome from the value ({@code null} when
     * empty) or the error ({@code null} on a value or empty).
     */
    public <T> Mono<T> observe(Mono<T> call, ObservationRegistry registry, BiFunction<T, Throwable, String> outcome) {
        if (registry == null || registry.isNoop()) {
            return call;
        }
        return Mono.defer(() -> {
            Observation.Context context = new Observation.Context();
            context.addLowCardinalityKeyValues(tags);
            context.addLowCardinalityKeyValue(KeyValue.of(OUTCOME, CANCELLED));
            // Upstream of tap: the outcome is in the context before tap stops the observation on the same signal.
            return call
                    .doOnSuccess(value -> context.addLowCardinalityKeyValue(KeyValue.of(OUTCOME, outcome.apply(value, null))))
                    .doOnError(error -> context.addLowCardinalityKeyValue(KeyValue.of(OUTCOME, outcome.apply(null, error))))
                    .name(spanName)
                    .tap(Micrometer.observation(registry, observations -> Observation.createNotStarted(name, () -> context,
                            observations)));
        });
    }
}
