package io.sfgateway.tokenexchange.subject;

import com.nimbusds.jose.util.JSONObjectUtils;
import io.sfgateway.tokenexchange.LogSafe;
import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.util.retry.Retry;

/**
 * OpenID Connect Discovery as Spring Security's {@code issuer-uri} does it: the issuer's
 * {@code /.well-known/openid-configuration} (any trailing {@code /} of the issuer removed first,
 * as OpenID Connect Discovery 1.0 §4 says) is fetched without blocking, and its {@code issuer}
 * must equal the configured one exactly, otherwise the document is refused (a token's
 * {@code iss} is compared to the configured value, so a mismatch would refuse every token
 * anyway, and a document for another issuer must not choose our keys).
 *
 * <p>Transient failures (no answer, 5xx, timeout) are retried with Reactor's backoff; a refused
 * document is not. The URI found is kept for the life of the process; until one is found, each
 * {@link #jwksUri()} (its caller, {@link JwksSource}, paces them) tries again, sharing one request.
 */
final class OidcDiscovery implements JwksLocation {

    private static final Logger log = LoggerFactory.getLogger(OidcDiscovery.class);
    static final String PATH = "/.well-known/openid-configuration";
    private static final int RETRIES = 2;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);

    private final WebClient webClient;
    private final String issuer;
    private final URI metadataUri;
    private final Duration attemptTimeout;
    private final Scheduler timer;
    private volatile URI discovered;
    private final AtomicReference<Mono<URI>> inFlight = new AtomicReference<>();

    OidcDiscovery(WebClient webClient, String issuer, Duration attemptTimeout, Scheduler timer) {
        this.webClient = webClient;
        this.issuer = issuer;
        this.metadataUri = URI.create(issuer.replaceAll("/+$", "") + PATH);
        this.attemptTimeout = attemptTimeout;
        this.timer = timer;
    }

    @Override
    public Mono<URI> jwksUri() {
        URI known = discovered;
        if (known != null) {
            return Mono.just(known);
        }
        Mono<URI> running = inFlight.get();
        if (running != null) {
            return running;
        }
        Mono<URI> discovery = Mono.defer(() -> webClient.get()
                        .uri(metadataUri)
                        .accept(MediaType.APPLICATION_JSON)
                        .retrieve()
                        .bodyToMono(String.class)
                        .timeout(attemptTimeout, timer))
                .retryWhen(Retry.backoff(RETRIES, FIRST_BACKOFF).scheduler(timer).filter(OidcDiscovery::transient_)
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
                .map(this::jwksUriOf)
                .doOnNext(uri -> {
                    discovered = uri;
                    log.info("OIDC discovery: issuer {} publishes its signing keys at {}", issuer, uri);
                })
                .doFinally(signal -> inFlight.set(null))
                .cache();
        return inFlight.compareAndSet(null, discovery) ? discovery : jwksUri();
    }

    private static boolean transient_(Throwable error) {
        if (error instanceof RefusedMetadata) {
            return false;
        }
        return !(error instanceof WebClientResponseException response) || response.getStatusCode().is5xxServerError()
                || response.getStatusCode().value() == 429;
    }

    private URI jwksUriOf(String body) {
        Map<String, Object> metadata;
        try {
            metadata = JSONObjectUtils.parse(body);
        } catch (ParseException e) {
            throw new RefusedMetadata(metadataUri + " is not a JSON object");
        }
        Object named = metadata.get("issuer");
        if (!issuer.equals(named)) {
            RefusedMetadata refused = new RefusedMetadata("the OpenID Provider metadata at " + metadataUri + " names issuer "
                    + (named instanceof String text ? "'" + LogSafe.text(text) + "'" : "none")
                    + ", not the configured issuer-uri '" + issuer + "' (they must be equal, character for character): "
                    + "tokens are refused until they are; set issuer-uri to the IdP's issuer exactly");
            log.error("Refused OIDC discovery: {}", refused.getMessage());
            throw refused;
        }
        Object jwks = metadata.get("jwks_uri");
        URI uri;
        try {
            uri = jwks instanceof String text ? URI.create(text) : null;
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        String scheme = uri == null || uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        // Plain http only when the issuer itself is plain http, which start-up allows on loopback or named hosts only.
        boolean allowed = scheme.equals("https") || scheme.equals("http") && metadataUri.getScheme().equals("http");
        if (uri == null || !uri.isAbsolute() || uri.getHost() == null || !allowed) {
            throw new RefusedMetadata("the OpenID Provider metadata at " + metadataUri + " has no usable jwks_uri");
        }
        return uri;
    }

    @Override
    public String toString() {
        return "jwks_uri of " + issuer;
    }

    /** A metadata document that was fetched but cannot be used: not worth retrying at once. */
    static final class RefusedMetadata extends IllegalStateException {
        RefusedMetadata(String message) {
            super(message);
        }
    }
}
