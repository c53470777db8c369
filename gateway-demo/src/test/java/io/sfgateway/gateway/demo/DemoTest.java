package io.sfgateway.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
    private static final Pattern MINT = Pattern.compile("TOKEN=\\$\\(curl -s '([^']+)'\\)");
    private static final Pattern WHOAMI = Pattern.compile(
            "curl -s -H \"Authorization: Bearer \\$TOKEN\" 'http://localhost:\\d+(/services/apexrest/[^']+)'");
    private static final Pattern WRITE = Pattern.compile("curl -s -X POST -H \"Authorization: Bearer \\$TOKEN\" "
            + "-H 'Content-Type: application/json' -d '([^']+)' 'http://localhost:\\d+(/services/data/[^']+)'");
    private static final Pattern HEALTH = Pattern.compile("curl -s (http://localhost:\\d+/actuator/health)\\n");

    @Test
    void thePrintedCurlReturnsSalesforceDataThroughTheGateway(CapturedOutput output) throws Exception {
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

            // What next: the printed health URL and the fresh-token command work as printed.
            Matcher health = HEALTH.matcher(output.getOut());
            assertThat(health.find()).as("the management port's health URL is printed").isTrue();
            assertThat(get(health.group(1)).statusCode()).isEqualTo(200);
            Matcher mint = MINT.matcher(output.getOut());
            assertThat(mint.find()).as("a command for a fresh token is printed").isTrue();
            HttpResponse<String> minted = get(mint.group(1));
            assertThat(minted.statusCode()).isEqualTo(200);
            String fresh = minted.body();
            assertThat(fresh).isNotBlank().isNotEqualTo(alice);
            client.get().uri(curl.group(4)).header("Authorization", "Bearer " + fresh).exchange()
                    .expectStatus().isOk();
            Matcher whoami = WHOAMI.matcher(output.getOut());
            assertThat(whoami.find()).as("a command showing which user the caller became").isTrue();
            client.get().uri(whoami.group(1)).header("Authorization", "Bearer " + fresh).exchange()
                    .expectStatus().isOk()
                    .expectBody().jsonPath("$.userId").isEqualTo("005000000000001AAA");
            Matcher write = WRITE.matcher(output.getOut());
            assertThat(write.find()).as("a write is printed").isTrue();
            client.post().uri(write.group(2)).header("Authorization", "Bearer " + fresh)
                    .header("Content-Type", "application/json").bodyValue(write.group(1)).exchange()
                    .expectStatus().isCreated();
            assertThat(output.getAll()).as("Spring Cloud Gateway's HV000271 warnings are quiet").doesNotContain("HV000271");
            assertThat(output.getOut()).contains("this one is alice's (for bob's, change sub=alice to sub=bob)");
            assertThat(output.getOut()).contains("Ctrl+C", "--server.port=", "--management.server.port=");
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
