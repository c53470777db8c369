package io.sfgateway.tokenexchange.warmup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.ApplicationAvailabilityBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.health.contributor.Status;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** The warm-up: done only once every required step succeeded, retried until then, never undone. */
class WarmUpTest {

    private static final WarmUpPolicy FAST = new WarmUpPolicy(Duration.ofMillis(10), Duration.ofMillis(50),
            Duration.ofSeconds(2));

    @Test
    void aRequiredStepIsRetriedUntilItSucceedsAndOnlyThenIsItDone() {
        AtomicInteger attempts = new AtomicInteger();
        AtomicBoolean up = new AtomicBoolean(false);
        WarmUp warmUp = new WarmUp(List.of(WarmUpStep.required("flaky", Mono.defer(() -> {
            attempts.incrementAndGet();
            return up.get() ? Mono.just("ok") : Mono.error(new IllegalStateException("not yet"));
        }))), FAST, Schedulers.parallel(), Clock.systemUTC());
        ApplicationAvailabilityBean availability = accepting();
        WarmReadinessIndicator readiness = new WarmReadinessIndicator(availability, warmUp);
        warmUp.start();
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> attempts.get() >= 3);
            assertThat(warmUp.isDone()).isFalse();
            assertThat(readiness.health().getStatus()).as("readiness while warming up").isEqualTo(Status.OUT_OF_SERVICE);

            up.set(true);
            await().atMost(Duration.ofSeconds(5)).until(warmUp::isDone);
            assertThat(readiness.health().getStatus()).isEqualTo(Status.UP);
            int afterDone = attempts.get();
            up.set(false); // what warm-up checked goes away: nothing asks again, nothing changes
            pause(200);
            assertThat(attempts).hasValue(afterDone);
            assertThat(readiness.health().getStatus()).isEqualTo(Status.UP);
        } finally {
            warmUp.stop();
        }
    }

    @Test
    void aBestEffortStepIsTriedOnceAndNeverHoldsReadinessBack() {
        AtomicInteger attempts = new AtomicInteger();
        WarmUp warmUp = new WarmUp(List.of(WarmUpStep.bestEffort("optional", Mono.defer(() -> {
            attempts.incrementAndGet();
            return Mono.error(new IllegalStateException("unreachable"));
        })), WarmUpStep.required("fine", Mono.empty())), FAST, Schedulers.parallel(), Clock.systemUTC());
        warmUp.start();
        await().atMost(Duration.ofSeconds(5)).until(warmUp::isDone);
        pause(100);
        assertThat(attempts).hasValue(1);
        warmUp.stop();
    }

    @Test
    void stoppingCancelsWhatIsStillRetrying() {
        AtomicInteger attempts = new AtomicInteger();
        WarmUp warmUp = new WarmUp(List.of(WarmUpStep.required("never", Mono.defer(() -> {
            attempts.incrementAndGet();
            return Mono.error(new IllegalStateException("down"));
        }))), FAST, Schedulers.parallel(), Clock.systemUTC());
        warmUp.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> attempts.get() >= 2);
        warmUp.stop();
        assertThat(warmUp.isRunning()).isFalse();
        pause(100);
        int stopped = attempts.get();
        pause(300);
        assertThat(attempts).hasValue(stopped);
        assertThat(warmUp.isDone()).isFalse();
    }

    @Test
    void onceDoneReadinessIsSpringBootsOwnStateAgain() {
        WarmUp warmUp = new WarmUp(List.of(), FAST, Schedulers.parallel(), Clock.systemUTC());
        warmUp.start();
        await().atMost(Duration.ofSeconds(5)).until(warmUp::isDone);
        ApplicationAvailabilityBean availability = accepting();
        WarmReadinessIndicator readiness = new WarmReadinessIndicator(availability, warmUp);
        assertThat(readiness.health().getStatus()).isEqualTo(Status.UP);
        availability.onApplicationEvent(new AvailabilityChangeEvent<>(this, ReadinessState.REFUSING_TRAFFIC));
        assertThat(readiness.health().getStatus()).as("shutting down").isEqualTo(Status.OUT_OF_SERVICE);
    }

    private static ApplicationAvailabilityBean accepting() {
        ApplicationAvailabilityBean availability = new ApplicationAvailabilityBean();
        availability.onApplicationEvent(new AvailabilityChangeEvent<>(new Object(), ReadinessState.ACCEPTING_TRAFFIC));
        return availability;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
