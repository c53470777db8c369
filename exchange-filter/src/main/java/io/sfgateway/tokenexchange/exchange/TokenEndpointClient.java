package io.sfgateway.tokenexchange.exchange;

import io.micrometer.observation.ObservationRegistry;
import java.util.Objects;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;

/**
 * The pooled client for token endpoints and JWKS: a {@link WebClient} (what JWKS fetches and
 * applications see) over a Reactor Netty {@link HttpClient} that {@link TokenExchanger} uses
 * directly, so both share one connection pool, its timeouts, TLS, proxy and redirect settings.
 *
 * <p>Why a {@code WebClient} that also hands out its {@code HttpClient}: the token request is the
 * cold path's largest cost, and {@code WebClient}'s codecs, request building and form writer cost
 * more CPU than the request itself (docs/BENCHMARKS.md). Any other {@code WebClient} still works
 * with {@link TokenExchanger}, through its codecs.
 */
public final class TokenEndpointClient implements WebClient {

    private final WebClient webClient;
    private final HttpClient httpClient;
    private final int maxResponseBytes;

    private TokenEndpointClient(WebClient webClient, HttpClient httpClient, int maxResponseBytes) {
        this.webClient = webClient;
        this.httpClient = httpClient;
        this.maxResponseBytes = maxResponseBytes;
    }

    /**
     * @param httpClient the configured client (pool, timeouts, TLS, proxy, redirects)
     * @param maxResponseBytes the largest response body read into memory; larger ones fail
     */
    public static TokenEndpointClient of(HttpClient httpClient, int maxResponseBytes) {
        return of(httpClient, maxResponseBytes, ObservationRegistry.NOOP);
    }

    /**
     * @param observations makes each {@code WebClient} request (the JWKS fetch) an {@code http.client.requests}
     *        observation, a span of the caller's trace when tracing is on; the token request is observed by its caller
     */
    public static TokenEndpointClient of(HttpClient httpClient, int maxResponseBytes, ObservationRegistry observations) {
        Objects.requireNonNull(httpClient, "httpClient");
        WebClient webClient = WebClient.builder()
                .clientConnector(new ReactorClientHttpConnector(httpClient))
                .observationRegistry(observations)
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(maxResponseBytes))
                .build();
        return new TokenEndpointClient(webClient, httpClient, maxResponseBytes);
    }

    public HttpClient httpClient() {
        return httpClient;
    }

    public int maxResponseBytes() {
        return maxResponseBytes;
    }

    @Override
    public RequestHeadersUriSpec<?> get() {
        return webClient.get();
    }

    @Override
    public RequestHeadersUriSpec<?> head() {
        return webClient.head();
    }

    @Override
    public RequestBodyUriSpec post() {
        return webClient.post();
    }

    @Override
    public RequestBodyUriSpec put() {
        return webClient.put();
    }

    @Override
    public RequestBodyUriSpec patch() {
        return webClient.patch();
    }

    @Override
    public RequestHeadersUriSpec<?> delete() {
        return webClient.delete();
    }

    @Override
    public RequestHeadersUriSpec<?> options() {
        return webClient.options();
    }

    @Override
    public RequestBodyUriSpec method(HttpMethod method) {
        return webClient.method(method);
    }

    @Override
    public Builder mutate() {
        return webClient.mutate();
    }
}
