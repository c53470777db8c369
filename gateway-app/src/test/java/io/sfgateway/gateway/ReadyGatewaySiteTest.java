package io.sfgateway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The ready gateway's defaults in front of an Experience Cloud site on a host of its own, as a
 * real site lives on {@code <name>.my.site.com} while {@code instance_url} stays on the org's My
 * Domain: with {@code SF_LOGIN_URL} the site URL and no {@code SF_INSTANCE_URL_ALLOWLIST}, REST
 * goes to the site and works.
 */
class ReadyGatewaySiteTest {

    @Test
    void aSiteOnItsOwnHostWorksWithTheDefaultAllowlist() throws Exception {
        try (EmulatedOrg org = new EmulatedOrg()) {
            String siteOrigin = org.emulator().serveSiteOn("127.0.0.2"); // another host name than the org's
            org.emulator().policies().sitePrefix("/partners");
            try (ConfigurableApplicationContext app = SpringApplication.run(GatewayApplication.class,
                    "--server.port=0", "--MANAGEMENT_SERVER_PORT=0", "--SF_LOGIN_URL=" + siteOrigin + "/partners",
                    "--SF_CLIENT_ID=" + EmulatedOrg.CLIENT_ID, "--SF_CLIENT_SECRET=" + EmulatedOrg.CLIENT_SECRET,
                    "--IDP_ISSUER=" + org.emulator().idp().issuer(), "--IDP_JWKS_URI=" + org.emulator().idp().jwksUri(),
                    "--IDP_AUDIENCES=" + EmulatedOrg.AUDIENCE)) {
                String port = app.getEnvironment().getProperty("local.server.port");
                HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/services/data/v62.0/limits"))
                        .header("Authorization", "Bearer " + org.token("alice"))
                        .timeout(Duration.ofSeconds(20))
                        .build(), HttpResponse.BodyHandlers.ofString());

                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                assertThat(org.emulator().counters().lastRestRequest().header("Host"))
                        .isEqualTo(siteOrigin.substring("http://".length()));
                assertThat(org.emulator().counters().exchanges("alice")).isEqualTo(1);
            }
        }
    }
}
