package io.sfgateway.tokenexchange.warmup;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Runs the {@link WarmUpStep}s once, when the application context starts (after the web server),
 * all at the same time, each required one retried per the {@link WarmUpPolicy} until it completes.
 * Then {@link #isDone()} is true for good, and one INFO line says how long it took.
 *
 * <p>Nothing here blocks: every attempt starts on Reactor's bounded-elastic threads (a warm-up may
 * load classes or native libraries), timeouts and waits fire on {@code timer}. Stopping the
 * context cancels whatever is still running. Time is read from the injected {@link Clock}.
 */
public final class WarmUp implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WarmUp.class);

    private final List<WarmUpStep> steps;
    private final WarmUpPolicy policy;
    private final Scheduler timer;
    private final Clock clock;
    private volatile boolean done;
    private volatile Disposable running;

    public WarmUp(List<WarmUpStep> steps, WarmUpPolicy policy, Scheduler timer, Clock clock) {
        this.steps = List.copyOf(steps);
        this.policy = policy;
        this.timer = timer;
        this.clock = clock;
    }

    /** Whether every required step has completed; once true, true for the life of the process. */
    public boolean isDone() {
        return done;
    }

    @Override
    public synchronized void start() {
        if (running != null) {
            return;
        }
        Instant started = clock.instant();
        running = Flux.fromIterable(steps)
                .flatMap(this::run)
                .then()
                .subscribe(null, error -> log.error("Warm-up stopped without completing: {}", error.toString()), () -> {
                    done = true;
                    log.info("Ready for traffic: warm-up took {} ms ({})",
                            Duration.between(started, clock.instant()).toMillis(),
                            steps.stream().map(WarmUpStep::name).collect(Collectors.joining(", ")));
                });
    }

    private Mono<Void> run(WarmUpStep step) {
        Mono<?> attempt = Mono.defer(step::attempt)
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(policy.attemptTimeout(), timer);
        if (!step.required()) {
            return attempt.onErrorResume(error -> {
                log.debug("Warm-up: {} did not succeed ({}); not waited for", step.name(), error.toString());
                return Mono.empty();
            }).then();
        }
        AtomicInteger failures = new AtomicInteger();
        return attempt
                .doOnError(error -> {
                    if (failures.incrementAndGet() == 1) {
                        log.warn("Not ready yet: {} failed ({}); retrying until it succeeds", step.name(),
                                error.toString());
                    } else {
                        log.debug("Warm-up: {} failed again ({})", step.name(), error.toString());
                    }
                })
                .retryWhen(policy.retry(timer))
                .doOnSuccess(ignored -> {
                    if (failures.get() > 0) {
                        log.info("Warm-up: {} succeeded after {} failed attempt(s)", step.name(), failures.get());
                    }
                })
                .then();
    }

    @Override
    public synchronized void stop() {
        if (running != null) {
            running.dispose();
            running = null;
        }
    }

    @Override
    public boolean isRunning() {
        return running != null;
    }
}
