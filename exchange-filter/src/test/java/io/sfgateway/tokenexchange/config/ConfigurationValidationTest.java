package io.sfgateway.tokenexchange.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfgateway.tokenexchange.web.ExchangeRegistrations;
import io.sfgateway.tokenexchange.web.SalesforceTokenExchangeGatewayFilterFactory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Contract §2: an invalid configuration stops start-up with a message that names the key. */
class ConfigurationValidationTest {

    private static final String ACME = "salesforce.token-exchange.registrations.acme.";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TokenExchangeAutoConfiguration.class))
            .withUserConfiguration(GatewayPropertiesConfiguration.class)
            .withPropertyValues(ACME + "login-url=https://acme.my.salesforce.com", ACME + "client-id=abc",
                    // validate is the default; these tests are about other keys (subject keys: SubjectConfigurationTest)
                    ACME + "subject.validate=false");

    @Test
    void aValidRegistrationRegistersTheFilter() {
        runner.withPropertyValues(ACME + "instance-url-allowlist=https://*.my.salesforce.com")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(SalesforceTokenExchangeGatewayFilterFactory.class);
                    assertThat(context.getBean(ExchangeRegistrations.class).names()).containsExactly("acme");
                });
    }

    @Test
    void missingClientIdNamesTheKey() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TokenExchangeAutoConfiguration.class))
                .withPropertyValues(ACME + "login-url=https://acme.my.salesforce.com")
                .run(context -> assertFailure(context.getStartupFailure(), ACME + "client-id"));
    }

    @Test
    void missingLoginUrlNamesTheKey() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TokenExchangeAutoConfiguration.class))
                .withPropertyValues(ACME + "client-id=abc")
                .run(context -> assertFailure(context.getStartupFailure(), ACME + "login-url"));
    }

    @Test
    void validationWithoutJwksUriNamesTheKey() {
        runner.withPropertyValues(ACME + "subject.validate=true")
                .run(context -> assertFailure(context.getStartupFailure(), ACME + "subject.jwks-uri"));
    }

    @Test
    void aMalformedAllowlistPatternNamesTheKey() {
        for (String pattern : new String[] {"acme.my.salesforce.com", "https://*", "https://a.*.com", "ftp://x.com",
                "https://x.com/a/../b"}) {
            runner.withPropertyValues(ACME + "instance-url-allowlist=" + pattern)
                    .run(context -> assertFailure(context.getStartupFailure(), ACME + "instance-url-allowlist"));
        }
    }

    @Test
    void anUnknownGrantOrTokenTypeNamesTheKey() {
        runner.withPropertyValues(ACME + "grant-type=password")
                .run(context -> assertFailure(context.getStartupFailure(), ACME + "grant-type"));
        runner.withPropertyValues(ACME + "subject-token-type=cookie")
                .run(context -> assertFailure(context.getStartupFailure(), ACME + "subject-token-type"));
    }

    @Test
    void aRouteNamingAnUnknownRegistrationStopsStartUp() {
        runner.withPropertyValues(
                        "spring.cloud.gateway.server.webflux.routes[0].id=sf",
                        "spring.cloud.gateway.server.webflux.routes[0].uri=https://acme.my.salesforce.com",
                        "spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/services/**",
                        "spring.cloud.gateway.server.webflux.routes[0].filters[0]=SalesforceTokenExchange=acmee")
                .run(context -> {
                    Throwable failure = context.getStartupFailure();
                    assertFailure(failure, "spring.cloud.gateway.server.webflux.routes[0].filters[0]");
                    assertThat(rootCause(failure)).hasMessageContaining("'acmee'");
                });
    }

    @Test
    void theFailureAnalysisTellsWhatToFix() {
        InvalidConfigurationException problem = new InvalidConfigurationException(ACME + "client-id", "is required");
        FailureAnalysis analysis = new InvalidConfigurationFailureAnalyzer(new org.springframework.mock.env.MockEnvironment())
                .analyze(new RuntimeException(problem));
        assertThat(analysis.getDescription()).contains(ACME + "client-id: is required");
        assertThat(analysis.getAction()).contains(ACME + "client-id");
    }

    @Test
    void theFailureAnalysisNamesTheEnvironmentVariableThatSetsTheKey() {
        String shared = "salesforce.token-exchange.cache.shared.";
        // As the ready gateway maps it: key-id: ${SF_CACHE_SHARED_KEY_ID:}
        org.springframework.mock.env.MockEnvironment environment = new org.springframework.mock.env.MockEnvironment()
                .withProperty(shared + "key-id", "${SF_CACHE_SHARED_KEY_ID:}");
        InvalidConfigurationFailureAnalyzer analyzer = new InvalidConfigurationFailureAnalyzer(environment);

        assertThat(analyzer.analyze(new RuntimeException(new InvalidConfigurationException(shared + "key-id",
                "is required"))).getDescription())
                .endsWith(shared + "key-id: is required (environment variable SF_CACHE_SHARED_KEY_ID)");
        assertThat(analyzer.analyze(new RuntimeException(new InvalidConfigurationException(shared + "keys.k1",
                "is missing: key-id names it"))).getDescription())
                .endsWith(shared + "keys.k1: is missing: key-id names it (environment variable "
                        + "SALESFORCE_TOKENEXCHANGE_CACHE_SHARED_KEYS_K1)");
    }

    private static void assertFailure(Throwable failure, String key) {
        assertThat(failure).as("start-up fails").isNotNull();
        assertThat(rootCause(failure)).isInstanceOf(InvalidConfigurationException.class).hasMessageStartingWith(key + ":");
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && !(cause instanceof InvalidConfigurationException)) {
            cause = cause.getCause();
        }
        return cause;
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties
    static class GatewayPropertiesConfiguration {
        @Bean
        @org.springframework.boot.context.properties.ConfigurationProperties(GatewayProperties.PREFIX)
        GatewayProperties gatewayProperties() {
            return new GatewayProperties();
        }
    }
}
