package io.sfgateway.tokenexchange.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfgateway.tokenexchange.routing.SessionPaths;
import io.sfgateway.tokenexchange.web.ExchangeRegistrations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The forwarding keys of issue 11: defaults, and start-up failures that name the key. */
class SessionPathsConfigurationTest {

    private static final String ACME = "salesforce.token-exchange.registrations.acme.";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TokenExchangeAutoConfiguration.class))
            .withUserConfiguration(ConfigurationValidationTest.GatewayPropertiesConfiguration.class)
            .withPropertyValues(ACME + "login-url=https://acme.my.salesforce.com", ACME + "client-id=abc",
                    ACME + "subject.validate=false"); // these tests are about other keys; subject validation has its own

    @Test
    void theDefaultsAreSalesforcesApiPathsAndTheStrippedLists() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            TokenExchangeProperties properties = context.getBean(TokenExchangeProperties.class);
            RegistrationProperties acme = properties.getRegistrations().get("acme");
            // Only what the gateway handles: Bulk API 1.0 and SOAP are opt-in.
            assertThat(acme.getSessionPaths()).containsExactly("/services/data/", "/services/apexrest/");
            assertThat(acme.getStrippedRequestHeaders()).containsExactly("Cookie", "X-SFDC-Session");
            assertThat(acme.getStrippedQueryParameters()).containsExactly("access_token");
            assertThat(acme.getStrippedResponseHeaders()).containsExactly("Set-Cookie");
            assertThat(properties.getReplayBudget().toMegabytes()).isEqualTo(64);
            assertThat(properties.getMinRenewalInterval()).hasSeconds(30);
        });
    }

    @Test
    void configuredSessionPathsReachTheFilter() {
        runner.withPropertyValues(ACME + "session-paths=/services/data/,/services/apexrest/acme/")
                .run(context -> {
                    SessionPaths paths = context.getBean(ExchangeRegistrations.class).find("acme").orElseThrow()
                            .forwarding().sessionPaths();
                    assertThat(paths.judge("/services/apexrest/acme/pay")).isEqualTo(SessionPaths.Verdict.ALLOWED);
                    assertThat(paths.judge("/services/apexrest/other/pay")).isEqualTo(SessionPaths.Verdict.OUTSIDE);
                    assertThat(paths.judge("/services/async/62.0/job")).isEqualTo(SessionPaths.Verdict.OUTSIDE);
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "services/data/", "/services/data", "/services/oauth2/", "/Services/OAuth2/x/",
            "/secur/", "/services/data/../", "/services/%2e%2e/"})
    void aSessionPathWhereNoSessionMayGoNamesTheKey(String path) {
        runner.withPropertyValues(ACME + "session-paths=" + path)
                .run(context -> assertFailure(context.getStartupFailure(), ACME + "session-paths"));
    }

    @Test
    void aReplayBudgetOver2GbNamesTheKey() {
        runner.withPropertyValues("salesforce.token-exchange.replay-budget=3GB")
                .run(context -> assertFailure(context.getStartupFailure(), "salesforce.token-exchange.replay-budget"));
    }

    private static void assertFailure(Throwable failure, String key) {
        assertThat(failure).as("start-up fails").isNotNull();
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        assertThat(cause).isInstanceOf(InvalidConfigurationException.class).hasMessageStartingWith(key + ":");
    }
}
