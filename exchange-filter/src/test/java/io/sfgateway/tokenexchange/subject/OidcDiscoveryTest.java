package io.sfgateway.tokenexchange.subject;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * OIDC discovery of the JWKS URI from {@code issuer-uri}, as Spring Security does it: the
 * document's {@code issuer} must be the configured one exactly, transient failures are retried
 * with backoff, a refused document is not, and what was found is kept.
 */
class OidcDiscoveryTest {

    private static final Duration VERIFY = Duration.ofSeconds(10);
    private static WireMockServer idp;

    @BeforeAll
    static void start() {
        idp = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        idp.start();
    }

    @AfterAll
    static void stop() {
        idp.stop();
    }

    @BeforeEach
    void reset() {
        idp.resetAll();
    }

    private static String issuer() {
        return idp.baseUrl() + "/realms/acme";
    }

    private static String metadata(String issuer) {
        return "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + idp.baseUrl() + "/realms/acme/certs\","
                + "\"token_endpoint\":\"" + idp.baseUrl() + "/realms/acme/token\"}";
    }

    private static JwksLocation discovery(String issuer) {
        return JwksLocation.discovered(JwtSubjectResolverTest.webClient(), issuer, Duration.ofSeconds(2), Schedulers.parallel());
    }

    @Test
    void theIssuersMetadataNamesTheJwksUriWhichIsKept() {
        idp.stubFor(get("/realms/acme/.well-known/openid-configuration").willReturn(okJson(metadata(issuer()))));
        JwksLocation location = discovery(issuer());

        StepVerifier.create(location.jwksUri()).expectNext(URI.create(idp.baseUrl() + "/realms/acme/certs")).verifyComplete();
        StepVerifier.create(location.jwksUri()).expectNextCount(1).verifyComplete();
        idp.verify(1, getRequestedFor(urlEqualTo("/realms/acme/.well-known/openid-configuration")));
    }

    @Test
    void concurrentCallersShareOneRequest() {
        idp.stubFor(get("/realms/acme/.well-known/openid-configuration")
                .willReturn(okJson(metadata(issuer())).withFixedDelay(300)));
        JwksLocation location = discovery(issuer());

        StepVerifier.create(Mono.zip(location.jwksUri(), location.jwksUri(), location.jwksUri()))
                .expectNextCount(1).verifyComplete();
        idp.verify(1, getRequestedFor(urlEqualTo("/realms/acme/.well-known/openid-configuration")));
    }

    @Test
    void aTrailingSlashIsRemovedBeforeTheWellKnownPathButTheIssuerMustStillMatchExactly() {
        // Auth0's issuers end in '/': discovery must find the document, and its issuer is compared as configured.
        idp.stubFor(get("/realms/acme/.well-known/openid-configuration").willReturn(okJson(metadata(issuer() + "/"))));

        StepVerifier.create(discovery(issuer() + "/").jwksUri()).expectNextCount(1).verifyComplete();
        StepVerifier.create(discovery(issuer()).jwksUri())
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(OidcDiscovery.RefusedMetadata.class)
                        .hasMessageContaining("names issuer '" + issuer() + "/'")
                        .hasMessageContaining("not the configured issuer-uri '" + issuer() + "'"))
                .verify(VERIFY);
    }

    @Test
    void aDocumentForAnotherIssuerIsRefusedAndNotRetriedAtOnce() {
        idp.stubFor(get("/realms/acme/.well-known/openid-configuration")
                .willReturn(okJson(metadata("https://evil.example.com/realms/acme"))));

        StepVerifier.create(discovery(issuer()).jwksUri())
                .expectError(OidcDiscovery.RefusedMetadata.class).verify(VERIFY);
        idp.verify(1, getRequestedFor(urlEqualTo("/realms/acme/.well-known/openid-configuration")));
    }

    @Test
    void aDocumentWithoutAUsableJwksUriIsRefused() {
        idp.stubFor(get("/realms/acme/.well-known/openid-configuration")
                .willReturn(okJson("{\"issuer\":\"" + issuer() + "\",\"jwks_uri\":\"ftp://idp/certs\"}")));
        StepVerifier.create(discovery(issuer()).jwksUri())
                .expectErrorMessage("the OpenID Provider metadata at " + issuer()
                        + "/.well-known/openid-configuration has no usable jwks_uri")
                .verify(VERIFY);
    }

    @Test
    void transientFailuresAreRetriedWithBackoff() {
        String path = "/realms/acme/.well-known/openid-configuration";
        idp.stubFor(get(path).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("second"));
        idp.stubFor(get(path).inScenario("flaky").whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(502)).willSetStateTo("third"));
        idp.stubFor(get(path).inScenario("flaky").whenScenarioStateIs("third").willReturn(okJson(metadata(issuer()))));

        StepVerifier.create(discovery(issuer()).jwksUri()).expectNextCount(1).verifyComplete();
        idp.verify(3, getRequestedFor(urlEqualTo(path)));
    }

    @Test
    void aMissingDocumentIsNotRetriedAtOnceAndALaterCallTriesAgain() {
        JwksLocation location = discovery(issuer());
        StepVerifier.create(location.jwksUri()).expectError().verify(VERIFY); // 404: WireMock has no stub
        idp.verify(1, getRequestedFor(urlEqualTo("/realms/acme/.well-known/openid-configuration")));

        idp.stubFor(get("/realms/acme/.well-known/openid-configuration").willReturn(okJson(metadata(issuer()))));
        StepVerifier.create(location.jwksUri()).expectNextCount(1).verifyComplete();
    }
}
