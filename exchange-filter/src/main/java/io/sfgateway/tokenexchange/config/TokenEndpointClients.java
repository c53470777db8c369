package io.sfgateway.tokenexchange.config;

import io.micrometer.observation.ObservationRegistry;
import io.sfgateway.tokenexchange.exchange.TokenEndpointTransport;
import java.util.Objects;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;

/**
 * The pooled clients for token endpoints and JWKS: one Reactor Netty {@link HttpClient} (its
 * connection pool, timeouts, TLS, proxy and redirect settings), used directly by token requests,
 * and a {@link WebClient} over it for JWKS and the check's REST probe. Its own type, so it is
 * neither injected where an application expects its own {@code WebClient} nor replaced by one by
 * accident. Define a bean of this type to replace it.
 *
 * @param maxResponseBytes the largest response body read into memory; larger ones fail
 */
public record TokenEndpointClients(HttpClient http, WebClient web, int maxResponseBytes) {

    public TokenEndpointClients {
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(web, "web");
    }

    /** The clients over {@code http}, the {@code WebClient} unobserved. */
    public static TokenEndpointClients of(HttpClient http, int maxResponseBytes) {
        return of(http, maxResponseBytes, ObservationRegistry.NOOP);
    }

    /**
     * @param observations makes each {@code WebClient} request (the JWKS fetch) an {@code http.client.requests}
     *        observation, a span of the caller's trace when tracing is on; the token request is observed by its caller
     */
    public static TokenEndpointClients of(HttpClient http, int maxResponseBytes, ObservationRegistry observations) {
        WebClient web = WebClient.builder()
                .clientConnector(new ReactorClientHttpConnector(http))
                .observationRegistry(observations)
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(maxResponseBytes))
                .build();
        return new TokenEndpointClients(http, web, maxResponseBytes);
    }

    /** How token requests travel: straight through {@link #http()}, skipping {@code WebClient}'s codecs. */
    public TokenEndpointTransport transport() {
        return TokenEndpointTransport.netty(http, maxResponseBytes);
    }
}
