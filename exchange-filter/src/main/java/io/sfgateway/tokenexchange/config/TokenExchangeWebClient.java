package io.sfgateway.tokenexchange.config;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * The pooled, shared {@link WebClient} for token endpoints and JWKS, wrapped in its own type so
 * it is neither injected where an application expects its own {@code WebClient} nor replaced by
 * one by accident. Define a bean of this type to replace it: with a
 * {@link io.sfgateway.tokenexchange.exchange.TokenEndpointClient} (built on your own Reactor Netty
 * {@code HttpClient}) token requests keep the cheaper direct path; any other {@code WebClient} works
 * too, through its codecs.
 */
public record TokenExchangeWebClient(WebClient webClient) {
}
