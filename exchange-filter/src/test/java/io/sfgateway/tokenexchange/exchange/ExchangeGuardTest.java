package io.sfgateway.tokenexchange.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.sfgateway.tokenexchange.ExchangeFailure;
import io.sfgateway.tokenexchange.ExchangeFailure.Kind;
import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.SessionGrant;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The guard as an operator: timeout on virtual time, breaker, bulkhead, each failure as the writer expects it. */
class ExchangeGuardTest {

    private static final SalesforceSession SESSION = new SalesforceSession("00D!token",
            SessionGrant.of(URI.create("https://acme.my.salesforce.com"),
            "00D000000000001AAA", "api"), "005000000000001AAA", 0L);
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final CircuitBreaker breaker = CircuitBreaker.of("guard-test", ExchangeBreakerPolicy.appliedTo(
            CircuitBreakerConfig.custom().slidingWindowSize(2).minimumNumberOfCalls(2).failureRateThreshold(100)
                    .waitDurationInOpenState(Duration.ofSeconds(10)).build()));
    private final Bulkhead bulkhead = Bulkhead.of("guard-test", BulkheadConfig.custom()
            .maxConcurrentCalls(1).maxWaitDuration(Duration.ZERO).build());
    private final ExchangeGuard guard = new ExchangeGuard(breaker, bulkhead, TIMEOUT, time);

    @Test
    void passesASessionThroughAndCountsASuccess() {
        StepVerifier.create(Mono.just(SESSION).transformDeferred(guard)).expectNext(SESSION).verifyComplete();
        assertThat(breaker.getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(1);
        assertThat(bulkhead.getMetrics().getAvailableConcurrentCalls()).isEqualTo(1);
    }

    @Test
    void anExchangeWithoutAnswerTimesOutAtTheTimeoutOnTheGivenScheduler() {
        StepVerifier.withVirtualTime(() -> Mono.<SalesforceSession>never().transformDeferred(guard), () -> time, 1)
                .expectSubscription()
                .expectNoEvent(TIMEOUT.minusMillis(1))
                .thenAwait(Duration.ofMillis(1))
                .expectErrorSatisfies(error -> assertFailure(error, Kind.TIMEOUT, 1))
                .verify(Duration.ofSeconds(5));
        assertThat(breaker.getMetrics().getNumberOfFailedCalls()).as("a timeout counts against the breaker").isEqualTo(1);
        assertThat(bulkhead.getMetrics().getAvailableConcurrentCalls()).as("the permit is given back").isEqualTo(1);
    }

    @Test
    void anOpenBreakerRefusesAtOnceWithItsWaitAsRetryAfterAndNeverCallsTheEndpoint() {
        AtomicInteger calls = new AtomicInteger();
        breaker.transitionToOpenState();
        StepVerifier.create(Mono.fromSupplier(() -> {
                    calls.incrementAndGet();
                    return SESSION;
                }).transformDeferred(guard))
                .expectErrorSatisfies(error -> assertFailure(error, Kind.CIRCUIT_OPEN, 10))
                .verify(Duration.ofSeconds(1));
        assertThat(calls).hasValue(0);
    }

    @Test
    void availabilityFailuresOpenTheBreakerButRefusalsOfTheSubjectDoNot() {
        ExchangeFailure rejected = new ExchangeFailure(Kind.SUBJECT_REJECTED, "invalid_grant");
        for (int i = 0; i < 3; i++) {
            StepVerifier.create(Mono.<SalesforceSession>error(rejected).transformDeferred(guard))
                    .expectErrorSatisfies(error -> assertThat(error).isSameAs(rejected))
                    .verify(Duration.ofSeconds(1));
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isZero();

        ExchangeFailure down = new ExchangeFailure(Kind.UNAVAILABLE, "503 from the token endpoint");
        for (int i = 0; i < 2; i++) {
            StepVerifier.create(Mono.<SalesforceSession>error(down).transformDeferred(guard))
                    .expectErrorSatisfies(error -> assertThat(error).isSameAs(down))
                    .verify(Duration.ofSeconds(1));
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        StepVerifier.create(Mono.just(SESSION).transformDeferred(guard))
                .expectErrorSatisfies(error -> assertFailure(error, Kind.CIRCUIT_OPEN, 10))
                .verify(Duration.ofSeconds(1));
    }

    @Test
    void aFullBulkheadRefusesAtOnceWithoutWaitingAndAFreedPermitAdmitsAgain() {
        Disposable inFlight = Mono.<SalesforceSession>never().transformDeferred(guard).subscribe();
        StepVerifier.create(Mono.just(SESSION).transformDeferred(guard))
                .expectErrorSatisfies(error -> assertFailure(error, Kind.UNAVAILABLE, 1))
                .verify(Duration.ofSeconds(1));
        assertThat(breaker.getMetrics().getNumberOfFailedCalls()).as("a full bulkhead is not the endpoint's fault")
                .isZero();

        inFlight.dispose();
        StepVerifier.create(Mono.just(SESSION).transformDeferred(guard)).expectNext(SESSION).verifyComplete();
    }

    @Test
    void eachSubscriptionIsGuardedAnew() {
        Mono<SalesforceSession> guarded = Mono.just(SESSION).transformDeferred(guard);
        StepVerifier.create(guarded).expectNext(SESSION).verifyComplete();
        StepVerifier.create(guarded).expectNext(SESSION).verifyComplete();
        assertThat(breaker.getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(2);
    }

    @Test
    void theCallAsMadeSeesItsTimeout() {
        List<Object> made = new CopyOnWriteArrayList<>();
        UnaryOperator<Mono<SalesforceSession>> seen = call -> call.doOnNext(made::add).doOnError(made::add);

        StepVerifier.withVirtualTime(() -> guard.apply(Mono.never(), seen), () -> time, 1)
                .expectSubscription()
                .thenAwait(TIMEOUT)
                .expectErrorSatisfies(error -> assertFailure(error, Kind.TIMEOUT, 1))
                .verify(Duration.ofSeconds(5));
        assertThat(made).singleElement().satisfies(error -> assertFailure((Throwable) error, Kind.TIMEOUT, 1));
    }

    @Test
    void theCallAsMadeNeverSeesARefusalOfTheBulkheadOrTheBreaker() {
        List<Object> made = new CopyOnWriteArrayList<>();
        UnaryOperator<Mono<SalesforceSession>> seen = call -> call.doOnNext(made::add).doOnError(made::add);
        Disposable inFlight = guard.apply(Mono.never(), seen).subscribe();
        StepVerifier.create(guard.apply(Mono.just(SESSION), seen))
                .expectErrorSatisfies(error -> assertFailure(error, Kind.UNAVAILABLE, 1))
                .verify(Duration.ofSeconds(1));
        inFlight.dispose();
        breaker.transitionToOpenState();
        StepVerifier.create(guard.apply(Mono.just(SESSION), seen))
                .expectErrorSatisfies(error -> assertFailure(error, Kind.CIRCUIT_OPEN, 10))
                .verify(Duration.ofSeconds(1));
        assertThat(made).as("no call was made: nothing to observe").isEmpty();

        breaker.transitionToClosedState();
        StepVerifier.create(guard.apply(Mono.just(SESSION), seen)).expectNext(SESSION).verifyComplete();
        assertThat(made).containsExactly(SESSION);
    }

    private static void assertFailure(Throwable error, Kind kind, long retryAfterSeconds) {
        assertThat(error).isInstanceOf(ExchangeFailure.class);
        ExchangeFailure failure = (ExchangeFailure) error;
        assertThat(failure.kind()).isEqualTo(kind);
        assertThat(failure.retryAfterSeconds()).isEqualTo(retryAfterSeconds);
    }
}
