package io.sfgateway.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The ready jar serves actuator on its own management port (8081 unless MANAGEMENT_SERVER_PORT
 * says otherwise), never on the traffic port, and never the endpoints that dump the heap or
 * threads or show configuration, whatever the exposure list says.
 */
class ManagementServerTest {

    @Test
    void theManagementPortIs8081UnlessManagementServerPortIsSet() throws IOException {
        assertThat(environment(Map.of()).getProperty("management.server.port")).isEqualTo("8081");
        assertThat(environment(Map.of("MANAGEMENT_SERVER_PORT", "9191")).getProperty("management.server.port"))
                .isEqualTo("9191");
        assertThat(environment(Map.of()).getProperty("server.port")).isEqualTo("8080");
    }

    @Test
    void actuatorAnswersOnTheManagementPortAndNotOnTheTrafficPort() {
        try (EmulatedOrg org = new EmulatedOrg();
                ConfigurableApplicationContext app = SpringApplication.run(GatewayApplication.class, org.gatewayArgs(
                        "--management.endpoints.web.exposure.include=*"))) {
            String trafficPort = app.getEnvironment().getProperty("local.server.port");
            String managementPort = app.getEnvironment().getProperty("local.management.port");
            assertThat(managementPort).isNotNull().isNotEqualTo(trafficPort);
            WebTestClient traffic = client(trafficPort);
            WebTestClient management = client(managementPort);

            for (String path : new String[] {"/actuator", "/actuator/health", "/actuator/prometheus", "/actuator/info"}) {
                traffic.get().uri(path).exchange().expectStatus().isNotFound();
            }
            // Ready once warm-up is done (the IdP's keys fetched, clients warmed), moments after start-up.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    management.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk());
            management.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                    .expectBody(String.class).value(body -> assertThat(body).contains("jvm_memory_used_bytes"));
            for (String path : new String[] {"/actuator/heapdump", "/actuator/threaddump", "/actuator/env",
                    "/actuator/configprops", "/actuator/loggers", "/actuator/gateway/routes"}) {
                management.get().uri(path).exchange().expectStatus().isNotFound();
            }
        }
    }

    /** application.yml as the jar reads it, under the given environment variables. */
    private static StandardEnvironment environment(Map<String, Object> variables) throws IOException {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("variables", variables));
        new YamlPropertySourceLoader().load("application.yml", new ClassPathResource("application.yml"))
                .forEach(source -> environment.getPropertySources().addLast(source));
        return environment;
    }

    private static WebTestClient client(String port) {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(10)).build();
    }
}
