package io.sfgateway.tokenexchange.config;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * The pooled, shared {@link WebClient} for token endpoints and JWKS, wrapped in its own type so
 * it is neither injected where an application expects its own {@code WebClient} nor replaced by
 * one by accident. Define a bean of this type to replace it.
 */
public record TokenExchangeWebClient(WebClient webClient) {
}
