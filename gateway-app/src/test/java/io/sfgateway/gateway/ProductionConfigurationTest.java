package io.sfgateway.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.sfgateway.tokenexchange.config.InvalidConfigurationException;
import io.sfgateway.tokenexchange.web.ExchangeRegistrations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.route.RouteDefinition;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The ready jar takes its org from environment variables (SF_LOGIN_URL and the rest), from the
 * operator's own YAML alone, or both; it refuses to start with neither, and names the key and the
 * variable when a value refers to a variable that is not set.
 */
class ProductionConfigurationTest {

    private static final String REGISTRATIONS = "salesforce.token-exchange.registrations.";

    @TempDir
    Path configDir;

    @Test
    void withNeitherVariablesNorOwnYamlTheGatewayRefusesToStartAndSaysWhatToSet() {
        assertRefused(() -> run(), "SF_LOGIN_URL", "--spring.config.additional-location");
    }

    @Test
    void theEnvironmentVariablesConfigureTheRegistrationAndItsRoute() {
        try (ConfigurableApplicationContext app = run("--SF_LOGIN_URL=https://acme.my.salesforce.com",
                "--SF_CLIENT_ID=3MVG9-client", "--SF_CLIENT_SECRET=secret", "--IDP_ISSUER=https://idp.example.com",
                "--IDP_JWKS_URI=http://127.0.0.1:9/jwks")) {
            assertThat(app.getBean(ExchangeRegistrations.class).names()).containsExactly("salesforce");
            assertThat(routes(app)).extracting(route -> route.getId() + " " + route.getUri())
                    .containsExactly("salesforce-rest https://acme.my.salesforce.com");
        }
    }

    @Test
    void issuerUriAloneConfiguresTheIdpByDiscoveryAndTheDocumentedDefaultsHold() {
        try (ConfigurableApplicationContext app = run("--SF_LOGIN_URL=https://acme.my.salesforce.com",
                "--SF_CLIENT_ID=3MVG9-client", "--IDP_ISSUER_URI=http://127.0.0.1:9/realms/acme")) {
            var subject = app.getBean(io.sfgateway.tokenexchange.config.TokenExchangeProperties.class)
                    .getRegistrations().get("salesforce").getSubject();
            assertThat(subject.getIssuerUri()).hasToString("http://127.0.0.1:9/realms/acme");
            assertThat(subject.getJwksUri()).isNull();
            assertThat(subject.requiredIssuer()).isEqualTo("http://127.0.0.1:9/realms/acme");
            // docs/READY-GATEWAY.md, "Defaults that differ from a bare Spring Boot application"
            var environment = app.getEnvironment();
            assertThat(environment.getProperty("management.endpoint.health.show-components")).isEqualTo("always");
            assertThat(environment.getProperty("management.endpoint.health.show-details")).isEqualTo("never");
            assertThat(environment.getProperty("spring.data.redis.client-name")).isEqualTo("sf-gateway");
            assertThat(environment.getProperty(
                    "logging.level.org.hibernate.validator.internal.metadata.aggregated.CascadingMetaDataBuilder"))
                    .isEqualTo("ERROR");
        }
    }

    @Test
    void everyUnsetVariableOfTheEnvironmentRegistrationIsNamedTogether() {
        Throwable failure = catchThrowable(() -> run("--spring.profiles.active=env"));
        Throwable cause = failure;
        while (!(cause instanceof InvalidConfigurationException) && cause != null && cause.getCause() != null) {
            cause = cause.getCause();
        }
        assertThat(cause).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("${SF_LOGIN_URL}").hasMessageContaining("${SF_CLIENT_ID}");
        assertThat(((InvalidConfigurationException) cause).keys())
                .contains(REGISTRATIONS + "salesforce.login-url", REGISTRATIONS + "salesforce.client-id");
    }

    @Test
    void theOperatorsOwnYamlAloneStartsTheGatewayWithNoVariableSet() throws IOException {
        writeOwnYaml("""
                spring.cloud.gateway.server.webflux.routes:
                  - id: acme-rest
                    uri: https://acme.my.salesforce.com
                    predicates: [ "Path=/services/data/**" ]
                    filters: [ "SalesforceTokenExchange=acme" ]
                salesforce.token-exchange.registrations.acme:
                  login-url: https://acme.my.salesforce.com
                  client-id: 3MVG9-own-yaml
                  subject:
                    validate: true
                    issuer: https://idp.example.com
                    jwks-uri: http://127.0.0.1:9/jwks
                    audiences: [salesforce-gateway]
                """);
        try (ConfigurableApplicationContext app = run(ownYaml())) {
            assertThat(app.getBean(ExchangeRegistrations.class).names())
                    .as("only the operator's registration: the environment-driven one does not apply")
                    .containsExactly("acme");
            assertThat(routes(app)).extracting(RouteDefinition::getId).containsExactly("acme-rest");
        }
    }

    @Test
    void anUnsetVariableInTheOperatorsYamlNamesTheKeyAndTheVariable() throws IOException {
        writeOwnYaml("""
                salesforce.token-exchange.registrations.acme:
                  login-url: https://acme.my.salesforce.com
                  client-id: ${ACME_CLIENT_ID}
                """);
        assertRefused(() -> run(ownYaml()), REGISTRATIONS + "acme.client-id", "${ACME_CLIENT_ID}");
    }

    @Test
    void anUnsetVariableOfTheEnvironmentRegistrationIsNamed() {
        assertRefused(() -> run("--SF_LOGIN_URL=https://acme.my.salesforce.com"),
                REGISTRATIONS + "salesforce.client-id", "${SF_CLIENT_ID}");
    }

    @Test
    void theEnvProfileAppliesTheEnvironmentRegistrationEvenWithoutSfLoginUrl() {
        assertRefused(() -> run("--spring.profiles.active=env", "--SF_CLIENT_ID=3MVG9-client"),
                REGISTRATIONS + "salesforce.login-url", "${SF_LOGIN_URL}");
    }

    private static ConfigurableApplicationContext run(String... args) {
        List<String> all = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0"));
        all.addAll(List.of(args));
        return SpringApplication.run(GatewayApplication.class, all.toArray(String[]::new));
    }

    private static void assertRefused(ThrowingCallable start, String key, String mentioned) {
        Throwable failure = catchThrowable(start);
        assertThat(failure).as("start-up fails").isNotNull();
        Throwable cause = failure;
        while (!(cause instanceof InvalidConfigurationException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        assertThat(cause).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith(key + ":").hasMessageContaining(mentioned);
    }

    private static List<RouteDefinition> routes(ConfigurableApplicationContext app) {
        return app.getBean(GatewayProperties.class).getRoutes();
    }

    private void writeOwnYaml(String yaml) throws IOException {
        Files.writeString(configDir.resolve("application.yaml"), yaml);
    }

    private String ownYaml() {
        return "--spring.config.additional-location=optional:file:" + configDir + "/";
    }
}
