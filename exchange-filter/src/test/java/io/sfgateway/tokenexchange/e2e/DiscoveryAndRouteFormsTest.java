package io.sfgateway.tokenexchange.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sfgateway.emulator.EmulatorConfig;
import io.sfgateway.emulator.SalesforceEmulator;
import io.sfgateway.tokenexchange.web.SalesforceTokenExchangeGatewayFilterFactory;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.route.builder.RouteLocatorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Through the running gateway, against the emulated org and its IdP (NAV's mock-oauth2-server,
 * which publishes OIDC discovery metadata):
 * <ul>
 *   <li>a registration with {@code subject.issuer-uri} alone finds the IdP's keys by discovery
 *       and serves the caller;</li>
 *   <li>a registration whose {@code issuer-uri} is not the issuer the metadata names (here a
 *       trailing {@code /}, the classic slip) refuses every token with 503, not 401 (the caller's
 *       token is not at fault), and says why at ERROR;</li>
 *   <li>the filter works in each of Spring Cloud Gateway's three ways to put it on a route: the
 *       shortcut ({@code SalesforceTokenExchange=name}), the expanded {@code name}/{@code args}
 *       form, and the Java DSL ({@link RouteLocatorBuilder} with the factory's {@code apply}).</li>
 * </ul>
 */
@SpringBootTest(classes = DiscoveryAndRouteFormsTest.Gateway.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class DiscoveryAndRouteFormsTest {

    static final SalesforceEmulator ORG = SalesforceEmulator.start(EmulatorConfig.builder().autoProvisionUsers(true).build());
    static final String AUDIENCE = "salesforce-gateway";

    @LocalServerPort
    int port;

    @Configuration(proxyBeanMethods = false)
    @Import(TestGatewayApplication.class)
    static class Gateway {

        /** The Java DSL form, as an application would write it. */
        @Bean
        RouteLocator javaDslRoute(RouteLocatorBuilder routes, SalesforceTokenExchangeGatewayFilterFactory salesforce) {
            return routes.routes()
                    .route("salesforce-dsl", route -> route.path("/dsl/services/**")
                            .filters(filters -> filters.stripPrefix(1)
                                    .filter(salesforce.apply(config -> config.setRegistration("discovered"))))
                            .uri(ORG.baseUrl()))
                    .build();
        }
    }

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry properties) {
        String routes = "spring.cloud.gateway.server.webflux.routes";
        properties.add(routes + "[0].id", () -> "salesforce-shortcut");
        properties.add(routes + "[0].uri", ORG::baseUrl);
        properties.add(routes + "[0].predicates[0]", () -> "Path=/services/data/**,/services/apexrest/**");
        properties.add(routes + "[0].filters[0]", () -> "SalesforceTokenExchange=discovered");
        properties.add(routes + "[1].id", () -> "salesforce-expanded");
        properties.add(routes + "[1].uri", ORG::baseUrl);
        properties.add(routes + "[1].predicates[0]", () -> "Path=/expanded/services/**");
        properties.add(routes + "[1].filters[0]", () -> "StripPrefix=1");
        properties.add(routes + "[1].filters[1].name", () -> "SalesforceTokenExchange");
        properties.add(routes + "[1].filters[1].args.registration", () -> "discovered");
        properties.add(routes + "[2].id", () -> "salesforce-mismatched");
        properties.add(routes + "[2].uri", ORG::baseUrl);
        properties.add(routes + "[2].predicates[0]", () -> "Path=/mismatched/services/**");
        properties.add(routes + "[2].filters[0]", () -> "StripPrefix=1");
        properties.add(routes + "[2].filters[1]", () -> "SalesforceTokenExchange=mismatched");
        registration(properties, "discovered", ORG.idp().issuer());
        registration(properties, "mismatched", ORG.idp().issuer() + "/");
        properties.add("server.max-http-request-header-size", () -> "16KB");
    }

    private static void registration(DynamicPropertyRegistry properties, String name, String issuerUri) {
        String key = "salesforce.token-exchange.registrations." + name + ".";
        properties.add(key + "login-url", ORG::baseUrl);
        properties.add(key + "client-id", () -> "demo-client");
        properties.add(key + "client-secret", () -> "demo-secret");
        properties.add(key + "scopes", () -> "api");
        properties.add(key + "subject.issuer-uri", () -> issuerUri);
        properties.add(key + "subject.audiences", () -> AUDIENCE);
    }

    @AfterAll
    static void stop() {
        ORG.close();
    }

    @Test
    void anIssuerUriAloneFindsTheKeysByDiscoveryAndServesTheCaller() {
        long before = ORG.counters().exchanges("alice");
        client().get().uri("/services/data/v63.0/limits")
                .header("Authorization", "Bearer " + ORG.idp().mintToken("alice", AUDIENCE))
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.DailyApiRequests").exists();
        assertThat(ORG.counters().exchanges("alice")).isEqualTo(before + 1);
    }

    @Test
    void anIssuerUriThatIsNotTheDocumentsIssuerRefusesTokensAs503AndSaysWhy(CapturedOutput output) {
        client().get().uri("/mismatched/services/data/v63.0/limits")
                .header("Authorization", "Bearer " + ORG.idp().mintToken("bob", AUDIENCE))
                .exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().exists("Retry-After");
        assertThat(ORG.counters().exchanges("bob")).as("nothing reaches Salesforce").isZero();
        // The caller's 503 may come first (the key lookup has its own deadline); the refusal is logged when
        // the document arrives.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(output.getAll())
                .contains("Refused OIDC discovery")
                .contains("names issuer '" + ORG.idp().issuer() + "', not the configured issuer-uri '"
                        + ORG.idp().issuer() + "/'"));
    }

    @Test
    void theExpandedNameArgsFormAndTheJavaDslReachTheOrgToo() {
        for (String prefix : new String[] {"/expanded", "/dsl"}) {
            client().get().uri(prefix + "/services/apexrest/whoami")
                    .header("Authorization", "Bearer " + ORG.idp().mintToken("carol", AUDIENCE))
                    .exchange()
                    .expectStatus().isOk()
                    .expectBody().jsonPath("$.userId").exists();
        }
    }

    private WebTestClient client() {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
    }
}
