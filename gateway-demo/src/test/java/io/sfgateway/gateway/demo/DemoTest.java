package io.sfgateway.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The README's first command: the demo starts an emulated org and prints a curl that works. */
@ExtendWith(OutputCaptureExtension.class)
class DemoTest {

    private static final Pattern CURL = Pattern.compile(
            "curl -s -H 'Authorization: Bearer ([^']+)' '(http://localhost:(\\d+))(/services/data/[^']+)'");

    @Test
    void thePrintedCurlReturnsSalesforceDataThroughTheGateway(CapturedOutput output) {
        try (ConfigurableApplicationContext app = DemoApplication.run("--server.port=0", "--management.server.port=0")) {
            Matcher curl = CURL.matcher(output.getOut());
            assertThat(curl.find()).as("a ready-to-paste curl is printed").isTrue();
            String alice = curl.group(1);
            assertThat(curl.find()).as("and one for the second demo user").isTrue();

            WebTestClient client = WebTestClient.bindToServer().baseUrl(curl.group(2))
                    .responseTimeout(Duration.ofSeconds(10)).build();
            client.get().uri(curl.group(4)).header("Authorization", "Bearer " + alice).exchange()
                    .expectStatus().isOk()
                    .expectBody().jsonPath("$.records[0].attributes.type").isEqualTo("Account");
            client.get().uri(curl.group(4)).header("Authorization", "Bearer " + curl.group(1)).exchange()
                    .expectStatus().isOk();
            client.get().uri(curl.group(4)).exchange().expectStatus().isUnauthorized();
            WebTestClient management = WebTestClient.bindToServer()
                    .baseUrl("http://localhost:" + app.getEnvironment().getProperty("local.management.port")).build();
            management.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
        }
    }
}
