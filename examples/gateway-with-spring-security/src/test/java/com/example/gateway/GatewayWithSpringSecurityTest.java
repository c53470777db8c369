package com.example.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Spring Security's resource server beside the filter: on the Salesforce routes the filter alone
 * validates the caller's token (the resource server's decoder is never called), elsewhere the
 * resource server does. One WireMock server plays the IdP and the Salesforce org.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(GatewayWithSpringSecurityTest.CountingDecoder.class)
class GatewayWithSpringSecurityTest {

    static final WireMockServer ORG = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
    static final RSAKey IDP_KEY = newKey();
    static final String SALESFORCE_TOKEN = "00DAA0000000001!AQ-sample-session";

    static {
        ORG.start();
        stubOrgAndIdp(); // before the gateway starts: it fetches the IdP's keys at start-up
    }

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void org(DynamicPropertyRegistry registry) {
        registry.add("SF_LOGIN_URL", ORG::baseUrl);
        registry.add("SF_CLIENT_ID", () -> "sample-consumer-key");
        registry.add("SF_CLIENT_SECRET", () -> "sample-consumer-secret");
        registry.add("IDP_ISSUER_URI", () -> ORG.baseUrl() + "/idp");
    }

    @Autowired
    CountingDecoder.Calls decoderCalls;

    @BeforeEach
    void forgetRequests() {
        ORG.resetRequests();
        decoderCalls.count.set(0);
    }

    /** The resource server's decoder, as Spring Boot would build it from issuer-uri, counting its calls. */
    @TestConfiguration(proxyBeanMethods = false)
    static class CountingDecoder {

        static final class Calls {
            final AtomicInteger count = new AtomicInteger();
        }

        @Bean
        Calls decoderCalls() {
            return new Calls();
        }

        @Bean
        ReactiveJwtDecoder jwtDecoder(Calls calls) {
            NimbusReactiveJwtDecoder nimbus = NimbusReactiveJwtDecoder.withIssuerLocation(ORG.baseUrl() + "/idp").build();
            return token -> {
                calls.count.incrementAndGet();
                return nimbus.decode(token);
            };
        }
    }

    private static void stubOrgAndIdp() {
        // The IdP's OpenID Provider metadata: issuer-uri alone is configured, discovery finds the keys.
        ORG.stubFor(get("/idp/.well-known/openid-configuration").willReturn(aResponse()
                .withHeader("Content-Type", "application/json")
                .withBody("{\"issuer\":\"%s/idp\",\"jwks_uri\":\"%s/idp/jwks.json\"}".formatted(ORG.baseUrl(), ORG.baseUrl()))));
        ORG.stubFor(get("/idp/jwks.json").willReturn(aResponse()
                .withHeader("Content-Type", "application/json")
                .withBody(new JWKSet(IDP_KEY.toPublicJWK()).toString())));
        ORG.stubFor(post("/services/oauth2/token").willReturn(aResponse()
                .withHeader("Content-Type", "application/json")
                .withBody("""
                        {"access_token":"%s","instance_url":"%s","token_type":"Bearer","scope":"api",
                         "id":"%s/id/00DAA0000000001/005AA0000000001","issued_at":"%d"}"""
                        .formatted(SALESFORCE_TOKEN, ORG.baseUrl(), ORG.baseUrl(), System.currentTimeMillis()))));
        ORG.stubFor(get(urlPathEqualTo("/services/data/v62.0/limits"))
                .withHeader("Authorization", equalTo("Bearer " + SALESFORCE_TOKEN))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody("{\"DailyApiRequests\":{}}")));
    }

    @AfterAll
    static void stop() {
        ORG.stop();
    }

    @Test
    void onTheSalesforceRoutesTheFilterAloneValidatesTheToken() throws JOSEException {
        String idpToken = idpToken("alice");

        client().get().uri("/services/data/v62.0/limits")
                .header("Authorization", "Bearer " + idpToken)
                .exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.DailyApiRequests").exists();

        assertThat(decoderCalls.count).as("the resource server never saw the token").hasValue(0);
        ORG.verify(1, postRequestedFor(urlEqualTo("/services/oauth2/token"))
                .withRequestBody(containing("subject_token=" + idpToken)));
    }

    @Test
    void onTheSalesforceRoutesTheFilterRefusesABadTokenWithItsOwnAnswer() {
        client().get().uri("/services/data/v62.0/limits")
                .header("Authorization", "Bearer not-a-jwt")
                .exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueMatches("WWW-Authenticate", "Bearer.*invalid_token.*")
                .expectBody().jsonPath("$.error").isEqualTo("invalid_token"); // the filter's body; Spring Security sends none

        assertThat(decoderCalls.count).hasValue(0);
        ORG.verify(0, postRequestedFor(urlEqualTo("/services/oauth2/token")));
    }

    @Test
    void everywhereElseTheResourceServerValidatesTheToken() throws JOSEException {
        client().get().uri("/actuator/prometheus").exchange().expectStatus().isUnauthorized();

        client().get().uri("/actuator/prometheus")
                .header("Authorization", "Bearer " + idpToken("alice"))
                .exchange()
                .expectStatus().isOk();
        assertThat(decoderCalls.count).hasValue(1);
        ORG.verify(0, postRequestedFor(urlEqualTo("/services/oauth2/token")));
    }

    private WebTestClient client() {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port).build();
    }

    private static String idpToken(String subject) throws JOSEException {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ORG.baseUrl() + "/idp")
                .subject(subject)
                .audience("salesforce-gateway")
                .issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plusSeconds(600)))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(IDP_KEY.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(IDP_KEY));
        return jwt.serialize();
    }

    private static RSAKey newKey() {
        try {
            return new RSAKeyGenerator(2048).keyID("sample-idp-key").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
