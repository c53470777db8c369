package io.sfgateway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * What an operator of the ready gateway gets without configuring anything: the exchange timer's
 * histogram buckets (p99), the session cache's size, puts and evictions, and {@code /actuator/info}
 * with the version and the registrations, never a secret or the client id.
 */
class ObservabilityDefaultsTest {

    private static final String QUERY = "/services/data/v62.0/query?q=SELECT+Id+FROM+Account";

    @Test
    void prometheusHasTheHistogramAndTheCacheMetricsAndInfoShowsVersionAndRegistrations() {
        try (EmulatedOrg emulated = new EmulatedOrg();
                ConfigurableApplicationContext app = SpringApplication.run(GatewayApplication.class, emulated.gatewayArgs())) {
            client(app.getEnvironment().getProperty("local.server.port")).get().uri(QUERY)
                    .header("Authorization", "Bearer " + emulated.token("alice")).exchange().expectStatus().isOk();
            WebTestClient management = client(app.getEnvironment().getProperty("local.management.port"));

            String prometheus = management.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                    .expectBody(String.class).returnResult().getResponseBody();
            assertThat(prometheus)
                    .contains("salesforce_token_exchange_seconds_bucket{")
                    .contains("le=\"+Inf\"")
                    .containsPattern("cache_size\\{[^}]*cache=\"salesforce.sessions\"[^}]*} 1\\.0")
                    .containsPattern("cache_puts_total\\{[^}]*cache=\"salesforce.sessions\"[^}]*} 1\\.0")
                    .containsPattern("cache_evictions_total\\{[^}]*cache=\"salesforce.sessions\"")
                    .containsPattern("cache_gets_total\\{[^}]*cache=\"salesforce.sessions\"[^}]*registration=\"salesforce\""
                            + "[^}]*result=\"miss\"[^}]*} 1\\.0")
                    .contains("salesforce_api_usage{")
                    .contains("salesforce_api_limit{");

            String info = management.get().uri("/actuator/info").exchange().expectStatus().isOk()
                    .expectBody(String.class).returnResult().getResponseBody();
            assertThat(info)
                    .contains("\"build\"").contains("\"version\"").contains("\"artifact\":\"gateway-app\"")
                    .contains("\"salesforce-token-exchange\"").contains("\"registrations\"")
                    .contains("\"login-host\":\"127.0.0.1:" + emulated.emulator().port() + "\"")
                    .contains("\"grant-type\":\"token-exchange\"")
                    .contains("\"subject-validation\":\"jwt\"")
                    .doesNotContain(EmulatedOrg.CLIENT_SECRET)
                    .doesNotContain(EmulatedOrg.CLIENT_ID);
        }
    }

    private static WebTestClient client(String port) {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(10)).build();
    }
}
