package io.sfgateway.tokenexchange.exchange;

import java.net.URI;
import reactor.core.publisher.Mono;

/**
 * Posts an encoded form to a token endpoint and answers what {@link TokenExchanger} needs of the
 * response. The body is read (at most the size cap; more fails with an
 * {@link io.sfgateway.tokenexchange.ExchangeFailure} or a
 * {@link org.springframework.core.io.buffer.DataBufferLimitException}) only when
 * {@link #bodyMatters(int) it matters}; otherwise it is drained and {@link Answer#body()} is empty.
 */
interface TokenEndpointTransport {

    Mono<Answer> post(URI endpoint, byte[] form);

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
