package io.sfgateway.gateway.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfgateway.gateway.GatewayApplication;
import io.sfgateway.tokenexchange.config.RegistrationProperties;
import io.sfgateway.tokenexchange.config.TokenExchangeProperties;
import io.sfgateway.tokenexchange.shared.RedisSessionStore;
import io.sfgateway.tokenexchange.web.ExchangeRegistrations;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringApplication;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Each overlay's ConfigMap, rendered as Kustomize would, is loaded by the gateway exactly as the
 * pod loads it ({@code SPRING_CONFIG_ADDITIONAL_LOCATION}): a broken route or registration fails
 * the build, not the rollout.
 */
class ConfigMapBindingTest {

    @ParameterizedTest
    @ValueSource(strings = {"base", "dev", "prod"})
    void theConfigMapStartsTheGateway(String overlay) {
        Path yaml = K8sOverlays.writeApplicationYaml(overlay);
        try (ConfigurableApplicationContext app = SpringApplication.run(GatewayApplication.class,
                "--spring.config.additional-location=optional:file:" + yaml.getParent() + "/",
                "--server.port=0", "--management.server.port=0", "--SF_CLIENT_ID=client-id-from-secret", "--SF_CLIENT_SECRET=secret-from-secret",
                // The overlays' shared store seals with SESSION_KEY_K1 (a Secret's value in the pod).
                "--SESSION_KEY_K1=" + java.util.Base64.getEncoder().encodeToString(new byte[32]),
                // dev's Redis password, SPRING_DATA_REDIS_PASSWORD from a Secret in the pod.
                "--spring.data.redis.password=password-from-secret")) {
            assertThat(app.getBean(ExchangeRegistrations.class).names()).containsExactly("salesforce");
            RegistrationProperties registration =
                    app.getBean(TokenExchangeProperties.class).getRegistrations().get("salesforce");
            assertThat(registration.getLoginUrl()).as("the ConfigMap's org, not the environment's default")
                    .isNotNull();
            assertThat(registration.getClientId()).isEqualTo("client-id-from-secret");
            List<String> filters = app.getBean(GatewayProperties.class).getRoutes().stream()
                    .flatMap(route -> route.getFilters().stream())
                    .map(filter -> filter.getName() + "=" + String.join(",", filter.getArgs().values()))
                    .toList();
            assertThat(filters).contains("SalesforceTokenExchange=salesforce");
            // The shared session store: off in the base, on in both overlays (prod over TLS).
            assertThat(app.getBeanNamesForType(RedisSessionStore.class)).as("the shared session store")
                    .hasSize(overlay.equals("base") ? 0 : 1);
            if (overlay.equals("prod")) {
                assertThat(app.getEnvironment().getProperty("spring.data.redis.ssl.enabled")).isEqualTo("true");
            }
        }
    }
}
