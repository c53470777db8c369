package io.sfgateway.tokenexchange.shared;

import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.ObservationRegistry;
import io.sfgateway.tokenexchange.ObservedCall;
import io.sfgateway.tokenexchange.shared.RedisGuard.Unavailable;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;

/**
 * Times a local miss's read from the shared store: from asking Redis until the session is there
 * ({@code hit}), known to be absent or unusable ({@code miss}), or given up on ({@code unavailable}:
 * not connected, past the timeout, breaker open, failed). Meter {@value #METER}, tag {@code outcome}.
 *
 * <p>The buckets are fixed service-level bounds (0.25 to 50 ms, one of them at 2 ms, the figure a
 * Redis hit is held to), not a full percentile histogram: nine series per outcome, and the share of
 * reads within each bound reads straight off {@code _bucket}. Time comes from the registry's clock.
 *
 * <p>With an {@link ObservationRegistry}, the read and the taking of a lock are also observations
 * ({@value ObservedCall#STORE_READ}, {@value ObservedCall#STORE_LOCK}): spans of the caller's trace.
 */
public final class StoreReads {

    public static final String METER = "salesforce.session.store.read";
    /** No registry: reads are not timed. */
    public static final StoreReads NONE = new StoreReads(null);
    private static final ObservedCall READ = new ObservedCall(ObservedCall.STORE_READ, "session store get", KeyValues.empty());
    private static final ObservedCall LOCK = new ObservedCall(ObservedCall.STORE_LOCK, "session store lock", KeyValues.empty());
    private static final Duration[] BOUNDS = {Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1),
        Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50)};

    private final Clock clock;
    private final Timer hit;
    private final Timer miss;
    private final Timer unavailable;
    private final ObservationRegistry observations;

    public StoreReads(MeterRegistry registry) {
        this(registry, ObservationRegistry.NOOP);
    }

    /** @param observations where the read and lock observations go ({@link ObservationRegistry#NOOP}: none) */
    public StoreReads(MeterRegistry registry, ObservationRegistry observations) {
        this.observations = observations;
        this.clock = registry == null ? null : registry.config().clock();
        this.hit = timer(registry, "hit");
        this.miss = timer(registry, "miss");
        this.unavailable = timer(registry, "unavailable");
    }

    private static Timer timer(MeterRegistry registry, String outcome) {
        return registry == null ? null : Timer.builder(METER)
                .description("A local miss's read from the shared session store, until the session is there or known absent")
                .tag("outcome", outcome)
                .serviceLevelObjectives(BOUNDS)
                .register(registry);
    }

    /** {@code read} timed from its subscription: a value is a hit, empty a miss, {@link Unavailable} unavailable. */
    <T> Mono<T> time(Mono<T> read) {
        return READ.observe(timed(read), observations,
                (found, trouble) -> trouble instanceof Unavailable ? "unavailable" : trouble != null ? "error" : found != null ? "hit" : "miss");
    }

    /** Taking a lock ({@code SET NX}), observed: {@code true} acquired, {@code false} held elsewhere. */
    Mono<Boolean> lock(Mono<Boolean> claim) {
        return LOCK.observe(claim, observations, (claimed, trouble) -> trouble != null ? "unavailable"
                : Boolean.TRUE.equals(claimed) ? "acquired" : "held_elsewhere");
    }

    private <T> Mono<T> timed(Mono<T> read) {
        if (clock == null) {
            return read;
        }
        return Mono.defer(() -> {
            long start = clock.monotonicTime();
            return read
                    .doOnSuccess(found -> record(found != null ? hit : miss, start))
                    .doOnError(Unavailable.class, trouble -> record(unavailable, start));
        });
    }

    private void record(Timer timer, long start) {
        timer.record(clock.monotonicTime() - start, TimeUnit.NANOSECONDS);
    }
}
