package io.sfgateway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfgateway.emulator.SalesforceEmulator;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Issue "operations hardening": session eviction endpoint, structured logging, log redaction. */
@ExtendWith(OutputCaptureExtension.class)
class OperationsTest {

    private static final String QUERY = "/services/data/v62.0/query?q=SELECT+Id+FROM+Account";

    @Test
    void sessionsOfOneSubjectCanBeEvictedOnTheManagementPortOnly() {
        try (EmulatedOrg emulated = new EmulatedOrg();
                ConfigurableApplicationContext app = SpringApplication.run(GatewayApplication.class, emulated.gatewayArgs(
                        "--management.endpoints.web.exposure.include=health,salesforcesessions",
                        "--management.endpoint.salesforcesessions.access=unrestricted"))) {
            SalesforceEmulator org = emulated.emulator();
            WebTestClient gateway = client(app.getEnvironment().getProperty("local.server.port"));
            WebTestClient management = client(app.getEnvironment().getProperty("local.management.port"));
            String subject = "alice"; // the emulated org knows alice and bob
            String token = emulated.token(subject);

            gateway.get().uri(QUERY).header("Authorization", "Bearer " + token).exchange().expectStatus().isOk();
            gateway.post().uri("/actuator/salesforcesessions")
                    .bodyValue(Map.of("issuer", org.idp().issuer(), "subject", subject))
                    .exchange().expectStatus().isNotFound();

            management.post().uri("/actuator/salesforcesessions")
                    .bodyValue(Map.of("issuer", org.idp().issuer(), "subject", subject))
                    .exchange().expectStatus().isOk()
                    .expectBody().jsonPath("$.evicted").isEqualTo(1);

            gateway.get().uri(QUERY).header("Authorization", "Bearer " + token).exchange().expectStatus().isOk();
            assertThat(org.counters().exchanges(subject)).as("the next request exchanged again").isEqualTo(2);
        }
    }

    @Test
    void theEvictionEndpointIsOffByDefault() {
        try (EmulatedOrg emulated = new EmulatedOrg();
                ConfigurableApplicationContext app = SpringApplication.run(GatewayApplication.class, emulated.gatewayArgs(
                        "--management.endpoints.web.exposure.include=*"))) {
            client(app.getEnvironment().getProperty("local.management.port")).post().uri("/actuator/salesforcesessions")
                    .bodyValue(Map.of("issuer", "x", "subject", "y"))
                    .exchange().expectStatus().isNotFound();
        }
    }

    @Test
    void oneSwitchGivesStructuredJsonLogsWithTheAuditLineIntactAndCredentialsMasked(CapturedOutput output) {
        try (EmulatedOrg emulated = new EmulatedOrg();
                ConfigurableApplicationContext app = SpringApplication.run(GatewayApplication.class, emulated.gatewayArgs(
                        "--logging.structured.format.console=ecs"))) {
            SalesforceEmulator org = emulated.emulator();
            String subject = "bob";
            String token = emulated.token(subject);
            client(app.getEnvironment().getProperty("local.server.port")).get().uri(QUERY)
                    .header("Authorization", "Bearer " + token).exchange().expectStatus().isOk();
            LoggerFactory.getLogger("careless.code").warn("should never happen: Bearer {}", token);

            JsonMapper json = JsonMapper.builder().build();
            String subjectKey = "jwt:" + org.idp().issuer() + " " + subject;
            JsonNode audit = null;
            JsonNode careless = null;
            // The ready gateway writes the audit line through an asynchronous appender: give it a moment.
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
            while (audit == null && System.nanoTime() < deadline) {
                for (String line : output.getOut().split("\n")) {
                    if (!line.startsWith("{")) {
                        continue;
                    }
                    JsonNode event = json.readTree(line);
                    if (subjectKey.equals(event.path("subject").asString())) {
                        audit = event;
                    }
                    if (event.path("message").asString().startsWith("should never happen")) {
                        careless = event;
                    }
                }
                if (audit == null) {
                    Thread.onSpinWait();
                }
            }
            // The audit line's fields are key-values: ECS output carries them as members of the event.
            assertThat(audit).as("audit line").isNotNull();
            assertThat(audit.path("log").path("logger").asString()).isEqualTo("salesforce.token-exchange.audit");
            assertThat(audit.path("message").asString()).isEqualTo("token exchange");
            assertThat(audit.path("outcome").asString()).isEqualTo("success");
            assertThat(audit.path("registration").asString()).isNotEmpty();
            assertThat(careless).isNotNull();
            assertThat(careless.path("message").asString()).isEqualTo("should never happen: Bearer [REDACTED]");
            assertThat(output.getAll()).doesNotContain(token);
        }
    }

    @Test
    void thePlainConsoleMasksCredentialsToo(CapturedOutput output) {
        try (EmulatedOrg emulated = new EmulatedOrg();
                ConfigurableApplicationContext app = SpringApplication.run(GatewayApplication.class, emulated.gatewayArgs())) {
            String token = emulated.token("plain");
            LoggerFactory.getLogger("careless.code").warn("leaked {}", token, new IllegalStateException("Bearer " + token));
            // The token was minted after start-up, so only the careless line could have shown it.
            assertThat(output.getOut()).contains("leaked [REDACTED]").contains("Bearer [REDACTED]").doesNotContain(token);
        }
    }

    private static WebTestClient client(String port) {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(10)).build();
    }
}
