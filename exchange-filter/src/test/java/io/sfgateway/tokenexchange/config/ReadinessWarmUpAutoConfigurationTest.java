package io.sfgateway.tokenexchange.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfgateway.tokenexchange.warmup.WarmReadinessIndicator;
import io.sfgateway.tokenexchange.warmup.WarmUp;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.health.application.ReadinessStateHealthIndicator;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Readiness waits for the warm-up in any application that adds the library, with nothing to
 * configure: the library's {@code readinessStateHealthIndicator} replaces Spring Boot's, and an
 * application's own bean of that name replaces the library's.
 */
class ReadinessWarmUpAutoConfigurationTest {

    private static final String ACME = "salesforce.token-exchange.registrations.acme.";

    // Listed in an order Spring Boot must correct: the library's before Boot's availability indicators.
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(AvailabilityProbesAutoConfiguration.class,
                    AvailabilityHealthContributorAutoConfiguration.class, ApplicationAvailabilityAutoConfiguration.class,
                    TokenExchangeAutoConfiguration.class, ReadinessWarmUpAutoConfiguration.class))
            .withPropertyValues(ACME + "login-url=http://127.0.0.1:9", ACME + "client-id=abc",
                    ACME + "subject.validate=false");

    @Test
    void readinessStateIsTheLibrarysWithoutConfiguration() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(WarmUp.class);
            assertThat(context.getBean("readinessStateHealthIndicator")).isInstanceOf(WarmReadinessIndicator.class);
        });
    }

    @Test
    void anApplicationsOwnReadinessIndicatorWins() {
        runner.withUserConfiguration(OwnReadiness.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean("readinessStateHealthIndicator")).isNotInstanceOf(WarmReadinessIndicator.class);
        });
    }

    @Test
    void withTheLibraryOffReadinessIsSpringBootsAlone() {
        runner.withPropertyValues("salesforce.token-exchange.enabled=false").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(WarmUp.class);
            assertThat(context.getBean("readinessStateHealthIndicator")).isNotInstanceOf(WarmReadinessIndicator.class);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnReadiness {
        @Bean
        ReadinessStateHealthIndicator readinessStateHealthIndicator(ApplicationAvailability availability) {
            return new ReadinessStateHealthIndicator(availability);
        }
    }
}
