package io.sfgateway.tokenexchange.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.validation.FieldError;

/**
 * Ranges on {@code salesforce.token-exchange.*} are checked when the properties are bound
 * ({@code @Validated}): a value out of range stops start-up, and the failure names the key.
 */
class PropertyRangesTest {

    private static final String PREFIX = "salesforce.token-exchange.";
    private static final String ACME = PREFIX + "registrations.acme.";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TokenExchangeAutoConfiguration.class))
            .withPropertyValues(ACME + "login-url=https://acme.my.salesforce.com", ACME + "client-id=abc",
                    ACME + "subject.validate=false");

    @ParameterizedTest
    @CsvSource({
            "cache.maximum-size, 0",
            "cache.refresh-ahead, 0",
            "cache.refresh-ahead, 1.5",
            "cache.rejection-ttl, -1s",
            "cache.shared.timeout, 0s",
            "exchange.timeout, 0s",
            "exchange.connect-timeout, -2s",
            "exchange.max-concurrent, 0",
            "exchange.max-connections, -1",
            "min-renewal-interval, -1s",
            "registrations.acme.session-timeout, 500ms",
            "registrations.acme.subject.clock-skew, -1s",
            "registrations.acme.subject.jwks.max-backoff, 0s",
            "registrations.acme.subject.opaque-admission.min-length, 0",
            "registrations.acme.subject.opaque-admission.limit-period, 0s",
            "registrations.acme.subject.opaque-admission.max-tracked-clients, 0",
            "registrations.acme.api-usage.shed-above, 0",
            "registrations.acme.api-usage.shed-above, 1.01",
            "registrations.acme.api-usage.retry-after, 500ms",
    })
    void anOutOfRangeValueStopsStartUpNamingTheKey(String key, String value) {
        runner.withPropertyValues(PREFIX + key + "=" + value).run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            BindValidationException invalid = findCause(failure, BindValidationException.class);
            assertThat(invalid).as("a binding validation failure").isNotNull();
            // What Boot's failure analysis prints as "Property:" (the key, with relaxed binding's Java spelling).
            String field = key.replace("registrations.acme.", "registrations[acme].");
            assertThat(invalid.getValidationErrors().getAllErrors()).singleElement()
                    .isInstanceOfSatisfying(FieldError.class, error -> assertThat(error.getObjectName() + "." + error.getField())
                            .isEqualTo(PREFIX + camel(field)));
        });
    }

    @ParameterizedTest
    @CsvSource({"cache.refresh-ahead, 1", "cache.rejection-ttl, 0s", "min-renewal-interval, 0s",
            "registrations.acme.session-timeout, 1s", "registrations.acme.subject.clock-skew, 0s",
            "registrations.acme.api-usage.shed-above, 1", "registrations.acme.api-usage.retry-after, 1s"})
    void theEdgesOfEachRangeAreAccepted(String key, String value) {
        runner.withPropertyValues(PREFIX + key + "=" + value).run(context -> assertThat(context).hasNotFailed());
    }

    /** The Java name of a property path, as validation errors report it ({@code cache.maximumSize}). */
    private static String camel(String key) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : key.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    private static <T extends Throwable> T findCause(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }
}
