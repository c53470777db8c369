package io.sfgateway.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sfgateway.tokenexchange.config.InvalidConfigurationException;
import io.sfgateway.tokenexchange.web.ExchangeRegistrations;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/** application.yml reads an org from the environment, and refuses to start without one. */
class ProductionConfigurationTest {

    @Test
    void withoutAnOrgTheGatewayRefusesToStartAndSaysWhichKey() {
        assertThatThrownBy(() -> SpringApplication.run(GatewayApplication.class, "--server.port=0", "--management.server.port=0").close())
                .hasRootCauseInstanceOf(InvalidConfigurationException.class)
                .rootCause().hasMessageContaining("salesforce.token-exchange.registrations.salesforce.login-url");
    }

    @Test
    void theEnvironmentVariablesConfigureTheRegistration() {
        try (ConfigurableApplicationContext app = SpringApplication.run(GatewayApplication.class, "--server.port=0", "--management.server.port=0",
                "--SF_LOGIN_URL=https://acme.my.salesforce.com", "--SF_CLIENT_ID=3MVG9-client",
                "--SF_CLIENT_SECRET=secret", "--IDP_ISSUER=https://idp.example.com",
                "--IDP_JWKS_URI=http://127.0.0.1:9/jwks")) {
            assertThat(app.getBean(ExchangeRegistrations.class).names()).containsExactly("salesforce");
        }
    }
}
