package io.sfgateway.tokenexchange.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfgateway.tokenexchange.actuate.SalesforceSessionsEndpoint;
import io.sfgateway.tokenexchange.observe.LogRedactionEnvironment;
import io.sfgateway.tokenexchange.web.SalesforceTokenExchangeGatewayFilterFactory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.mock.env.MockEnvironment;

/** The library brings what it needs and no more to the application that adds it. */
class LibraryFootprintTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TokenExchangeAutoConfiguration.class,
                    io.sfgateway.tokenexchange.actuate.SalesforceSessionsEndpointAutoConfiguration.class));

    @Test
    void theFilterWorksWithoutActuatorOrPrometheus() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate", "io.micrometer.prometheusmetrics"))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(SalesforceTokenExchangeGatewayFilterFactory.class);
                    assertThat(context).doesNotHaveBean(SalesforceSessionsEndpoint.class);
                });
    }

    @Test
    void enabledFalseTurnsTheLibraryOff() {
        runner.withPropertyValues("salesforce.token-exchange.enabled=false")
                .run(context -> assertThat(context).hasNotFailed()
                        .doesNotHaveBean(SalesforceTokenExchangeGatewayFilterFactory.class)
                        .doesNotHaveBean(TokenExchangeProperties.class));
        runner.run(context -> assertThat(context).hasSingleBean(SalesforceTokenExchangeGatewayFilterFactory.class));
    }

    @Test
    void logRedactionLeavesTheHostsLoggingAloneUnlessAskedFor() {
        StandardEnvironment untouched = new StandardEnvironment();
        int sources = untouched.getPropertySources().size();
        new LogRedactionEnvironment().postProcessEnvironment(untouched, new SpringApplication());
        assertThat(untouched.getPropertySources().size()).isEqualTo(sources);
        assertThat(untouched.containsProperty("logging.structured.json.customizer")).isFalse();

        MockEnvironment askedFor = new MockEnvironment().withProperty("salesforce.token-exchange.redact-logs", "true");
        new LogRedactionEnvironment().postProcessEnvironment(askedFor, new SpringApplication());
        assertThat(askedFor.getProperty("logging.structured.json.customizer"))
                .isEqualTo("io.sfgateway.tokenexchange.observe.RedactingJsonMembersCustomizer");
    }
}
