package io.sfgateway.tokenexchange.exchange;

import java.net.URI;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Posts an encoded form to a token endpoint and answers what {@link TokenExchanger} needs of the
 * response. The body is read (at most the size cap; more fails with an
 * {@link io.sfgateway.tokenexchange.ExchangeFailure} or a
 * {@link org.springframework.core.io.buffer.DataBufferLimitException}) only when
 * {@link #bodyMatters(int) it matters}; otherwise it is drained and {@link Answer#body()} is empty.
 */
public interface TokenEndpointTransport {

    Mono<Answer> post(URI endpoint, byte[] form);

    /**
     * Straight through Reactor Netty: the cheaper way (docs/BENCHMARKS.md, the cold path).
     *
     * @param http the configured client (pool, timeouts, TLS, proxy, redirects)
     * @param maxResponseBytes the largest response body read into memory; larger ones fail
     */
    static TokenEndpointTransport netty(HttpClient http, int maxResponseBytes) {
        return new NettyTokenTransport(http, maxResponseBytes);
    }

    /** Through any {@link WebClient}, its codecs and their size cap. */
    static TokenEndpointTransport webClient(WebClient web) {
        return new WebClientTokenTransport(web);
    }

    /** A success is parsed and a refusal (4xx but 429) classified by its body; other bodies are not read. */
    static boolean bodyMatters(int status) {
        return (status >= 200 && status < 300) || (status >= 400 && status < 500 && status != 429);
    }

    /**
     * @param retryAfter the {@code Retry-After} header, or {@code null}
     */
    record Answer(int status, String retryAfter, byte[] body) {
    }
}
