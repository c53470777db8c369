package io.sfgateway.tokenexchange.subject;

import java.net.URI;
import java.time.Duration;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Where the IdP's signing keys are published: a configured {@code jwks-uri}, or the
 * {@code jwks_uri} of the issuer's OpenID Provider metadata ({@code issuer-uri} alone).
 */
public interface JwksLocation {

    /** The JWKS URI; may fetch it first, never blocking. */
    Mono<URI> jwksUri();

    /** A configured JWKS URI. */
    static JwksLocation fixed(URI jwksUri) {
        Mono<URI> uri = Mono.just(jwksUri);
        return new JwksLocation() {
            @Override
            public Mono<URI> jwksUri() {
                return uri;
            }

            @Override
            public String toString() {
                return jwksUri.toString();
            }
        };
    }

    /**
     * The {@code jwks_uri} that {@code <issuer>/.well-known/openid-configuration} names, once its
     * {@code issuer} is exactly {@code issuer}.
     *
     * @param attemptTimeout the longest one request for the metadata may take
     */
    static JwksLocation discovered(WebClient webClient, String issuer, Duration attemptTimeout, Scheduler timer) {
        return new OidcDiscovery(webClient, issuer, attemptTimeout, timer);
    }
}
