package io.sfgateway.tokenexchange.exchange;

import java.net.URI;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * The token request through any {@link WebClient} an application configured itself (its codecs
 * bring the size cap). {@link NettyTokenTransport} is cheaper.
 */
final class WebClientTokenTransport implements TokenEndpointTransport {

    private static final byte[] EMPTY = new byte[0];

    private final WebClient webClient;

    WebClientTokenTransport(WebClient webClient) {
        this.webClient = webClient;
    }

    @Override
    public Mono<Answer> post(URI endpoint, byte[] form) {
        return webClient.post()
                .uri(endpoint)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .accept(MediaType.APPLICATION_JSON)
                .bodyValue(form)
                .exchangeToMono(WebClientTokenTransport::answer);
    }

    private static Mono<Answer> answer(ClientResponse response) {
        int status = response.statusCode().value();
        String retryAfter = response.headers().asHttpHeaders().getFirst("Retry-After");
        if (!TokenEndpointTransport.bodyMatters(status)) {
            return response.releaseBody().then(Mono.just(new Answer(status, retryAfter, EMPTY)));
        }
        return response.bodyToMono(byte[].class).defaultIfEmpty(EMPTY)
                .map(body -> new Answer(status, retryAfter, body));
    }
}
