package io.sfgateway.tokenexchange.warmup;

import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * One thing a replica does before it reports ready. {@link WarmUp} subscribes to {@code attempt}
 * once, and, when the step is {@code required}, again after each failure until it completes; a
 * step that is not required is tried once and never holds readiness back.
 *
 * @param name what the step is, for the log: no URL with credentials, no secret
 * @param attempt one try, lazy: each subscription tries anew (a {@code Mono.defer})
 */
public record WarmUpStep(String name, Mono<?> attempt, boolean required) {

    public WarmUpStep {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(attempt, "attempt");
    }

    /** A step readiness waits for: retried until it completes. */
    public static WarmUpStep required(String name, Mono<?> attempt) {
        return new WarmUpStep(name, attempt, true);
    }

    /** A step worth trying that readiness does not wait for: one try, its failure ignored. */
    public static WarmUpStep bestEffort(String name, Mono<?> attempt) {
        return new WarmUpStep(name, attempt, false);
    }
}
