package io.sfgateway.tokenexchange.exchange;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.sfgateway.tokenexchange.ExchangeFailure;
import io.sfgateway.tokenexchange.ExchangeFailure.Kind;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;

/**
 * The two ways a token request travels: {@link TokenEndpointTransport#netty straight through} a
 * Reactor Netty client, or {@link TokenEndpointTransport#webClient through} a {@link WebClient};
 * the same answers either way.
 */
class TokenExchangerTransportTest {

    private static final String PATH = "/services/oauth2/token";
    private static final String OK = "{\"access_token\":\"tok\",\"instance_url\":\"https://acme.my.salesforce.com\"}";

    private static WireMockServer wm;

    @BeforeAll
    static void start() {
        wm = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        wm.start();
    }

    @AfterAll
    static void stop() {
        wm.stop();
    }

    @BeforeEach
    void reset() {
        wm.resetAll();
    }

    private static ExchangeSettings settings() {
        return new ExchangeSettings("acme",
                new TokenClient(URI.create(wm.baseUrl() + PATH), "client", null),
                new TokenRequest(ExchangeSettings.TOKEN_EXCHANGE, ExchangeSettings.TOKEN_TYPE_JWT, null, null),
                InstanceUrlAllowlist.of(List.of("https://*.my.salesforce.com")));
    }

    private static List<TokenEndpointTransport> clients(int cap) {
        return List.of(TokenEndpointTransport.netty(HttpClient.create().followRedirect(false), cap),
                TokenEndpointTransport.webClient(
                        WebClient.builder().codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(cap)).build()));
    }

    @Test
    void bothTransportsSendTheSameRequestAndReadTheSameSession() {
        wm.stubFor(post(urlEqualTo(PATH)).willReturn(okJson(OK)));
        for (TokenEndpointTransport client : clients(4096)) {
            StepVerifier.create(new TokenExchanger(client, settings(), Clock.systemUTC()).exchange("a.b+c"))
                    .assertNext(session -> assertThat(session.accessToken()).isEqualTo("tok"))
                    .expectComplete()
                    .verify(Duration.ofSeconds(10));
        }
        wm.verify(2, postRequestedFor(urlEqualTo(PATH))
                .withHeader("Content-Type", com.github.tomakehurst.wiremock.client.WireMock.equalTo("application/x-www-form-urlencoded"))
                .withHeader("Accept", com.github.tomakehurst.wiremock.client.WireMock.equalTo("application/json"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("subject_token=a.b%2Bc")));
    }

    @Test
    void aBodyOneByteOverTheCapIsUnacceptableAndOneAtTheCapIsRead() {
        String padded = OK.substring(0, OK.length() - 1) + ",\"pad\":\"";
        int cap = 512;
        String atCap = padded + "x".repeat(cap - padded.length() - 2) + "\"}";
        assertThat(atCap).hasSize(cap);
        for (TokenEndpointTransport client : clients(cap)) {
            wm.stubFor(post(urlEqualTo(PATH)).willReturn(okJson(atCap)));
            StepVerifier.create(new TokenExchanger(client, settings(), Clock.systemUTC()).exchange("t")).expectNextCount(1)
                    .expectComplete().verify(Duration.ofSeconds(10));
            wm.stubFor(post(urlEqualTo(PATH)).willReturn(okJson(atCap.replace("\"}", "x\"}"))));
            StepVerifier.create(new TokenExchanger(client, settings(), Clock.systemUTC()).exchange("t"))
                    .expectErrorSatisfies(error -> assertThat(error).isInstanceOfSatisfying(ExchangeFailure.class,
                            failure -> assertThat(failure.kind()).isEqualTo(Kind.SESSION_UNACCEPTABLE)))
                    .verify(Duration.ofSeconds(10));
        }
    }

    @Test
    void anOversizeServerErrorIsStillUnavailableItsBodyUnread() {
        wm.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(503).withBody("x".repeat(10_000))));
        for (TokenEndpointTransport client : clients(512)) {
            StepVerifier.create(new TokenExchanger(client, settings(), Clock.systemUTC()).exchange("t"))
                    .expectErrorSatisfies(error -> assertThat(((ExchangeFailure) error).kind()).isEqualTo(Kind.UNAVAILABLE))
                    .verify(Duration.ofSeconds(10));
        }
    }
}
