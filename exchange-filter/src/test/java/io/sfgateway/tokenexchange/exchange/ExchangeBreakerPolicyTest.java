package io.sfgateway.tokenexchange.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.sfgateway.tokenexchange.ExchangeFailure;
import io.sfgateway.tokenexchange.ExchangeFailure.Kind;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The breaker's failure policy, on top of whatever a user configured. */
class ExchangeBreakerPolicyTest {

    private static final ExchangeFailure REFUSED = new ExchangeFailure(Kind.SUBJECT_REJECTED, "invalid_grant");
    private static final ExchangeFailure DOWN = new ExchangeFailure(Kind.UNAVAILABLE, "HTTP 503");

    @Test
    void aRefusalIsNeverRecordedNorIgnoredEvenWhenTheUserRecordsEveryRuntimeException() {
        CircuitBreakerConfig config = ExchangeBreakerPolicy.appliedTo(CircuitBreakerConfig.custom()
                .recordExceptions(RuntimeException.class).ignoreExceptions(RuntimeException.class).build());
        assertThat(config.getRecordExceptionPredicate().test(REFUSED)).isFalse();
        assertThat(config.getIgnoreExceptionPredicate().test(REFUSED)).isFalse();
    }

    @Test
    void theUsersRulesStillDecideForAvailabilityFailuresAndOtherErrors() {
        CircuitBreakerConfig config = ExchangeBreakerPolicy.appliedTo(CircuitBreakerConfig.custom()
                .recordExceptions(IOException.class).ignoreExceptions(IllegalStateException.class).build());
        assertThat(config.getRecordExceptionPredicate().test(new IOException("reset"))).isTrue();
        assertThat(config.getRecordExceptionPredicate().test(DOWN)).isFalse();
        assertThat(config.getIgnoreExceptionPredicate().test(new IllegalStateException())).isTrue();

        CircuitBreakerConfig defaults = ExchangeBreakerPolicy.appliedTo(CircuitBreakerConfig.ofDefaults());
        assertThat(defaults.getRecordExceptionPredicate().test(DOWN)).isTrue();
        assertThat(defaults.getRecordExceptionPredicate().test(REFUSED)).isFalse();
    }

    @Test
    void theOpenBreakersRefusalHasNoStackTraceEvenWhenTheUserAskedForOne() {
        CircuitBreaker breaker = CircuitBreaker.of("no-trace", ExchangeBreakerPolicy.appliedTo(CircuitBreakerConfig.custom()
                .writableStackTraceEnabled(true).build()));
        breaker.transitionToOpenState();

        CallNotPermittedException refusal = CallNotPermittedException.createCallNotPermittedException(breaker);

        assertThat(refusal.getStackTrace()).isEmpty();
    }
}
