package io.sfgateway.tokenexchange.subject;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The IdP's signing keys, fetched from the configured {@code jwks-uri} only (never from a URL
 * named inside a token), without blocking, cached, and fetched again:
 * <ul>
 *   <li>when a token names a {@code kid} the cached set lacks (key rotation), at most once per
 *       {@code refetchInterval};</li>
 *   <li>in the background once the set is older than {@code maxAge}.</li>
 * </ul>
 * Concurrent fetches share one request.
 */
final class JwksSource {

    private static final Logger log = LoggerFactory.getLogger(JwksSource.class);

    private final WebClient webClient;
    private final URI jwksUri;
    private final Duration refetchInterval;
    private final Duration maxAge;
    private final Duration fetchTimeout;
    private final LongSupplier nanoClock;
    private final Scheduler timer;

    private volatile Snapshot current;
    private final AtomicLong versions = new AtomicLong();
    /** When the last fetch started, successful or not; rate-limits fetches while the IdP is down. */
    private volatile long lastAttemptNanos;
    private volatile boolean attempted;
    private final AtomicReference<Mono<Snapshot>> inFlight = new AtomicReference<>();

    JwksSource(WebClient webClient, URI jwksUri, Duration refetchInterval, Duration maxAge, Duration fetchTimeout,
            LongSupplier nanoClock, Scheduler timer) {
        this.webClient = webClient;
        this.timer = timer;
        this.jwksUri = jwksUri;
        this.refetchInterval = refetchInterval;
        this.maxAge = maxAge;
        this.fetchTimeout = fetchTimeout;
        this.nanoClock = nanoClock;
    }

    /**
     * The version of the current key set (0 before the first); every fetched set gets a new one,
     * so what was verified against an older set is verified again.
     */
    long version() {
        Snapshot snapshot = current;
        return snapshot == null ? 0 : snapshot.version;
    }

    /** Starts the first fetch so the first caller need not wait for it. */
    void prefetch() {
        fetch().subscribe(keys -> { }, error -> { });
    }

    /**
     * The key set to verify a token signed with {@code kid} (may be {@code null}). Answers the
     * cached set at once when it has the key; fetches when it does not and a fetch is allowed.
     */
    Mono<Snapshot> keysFor(String kid) {
        Snapshot snapshot = current;
        long now = nanoClock.getAsLong();
        if (snapshot != null && snapshot.has(kid)) {
            if (now - snapshot.fetchedAtNanos > maxAge.toNanos()) {
                prefetch();
            }
            return Mono.just(snapshot);
        }
        if (!attempted || now - lastAttemptNanos >= refetchInterval.toNanos()) {
            return fetch();
        }
        if (snapshot == null) {
            return Mono.error(new IllegalStateException("no keys yet from " + jwksUri + "; next fetch not before the refetch interval"));
        }
        return Mono.just(snapshot); // unknown kid, fetched too recently: verification will fail
    }

    private Mono<Snapshot> fetch() {
        Mono<Snapshot> running = inFlight.get();
        if (running != null) {
            return running;
        }
        Mono<Snapshot> fetch = Mono.defer(() -> {
                    attempted = true;
                    lastAttemptNanos = nanoClock.getAsLong();
                    return webClient.get()
                            .uri(jwksUri)
                            .accept(MediaType.APPLICATION_JSON)
                            .retrieve()
                            .bodyToMono(String.class);
                })
                .timeout(fetchTimeout, timer)
                .map(this::parse)
                .doOnNext(snapshot -> current = snapshot)
                .doOnError(error -> log.warn("Could not fetch JWKS from {}: {}", jwksUri, error.toString()))
                .doFinally(signal -> inFlight.set(null))
                .cache();
        return inFlight.compareAndSet(null, fetch) ? fetch : fetch();
    }

    private Snapshot parse(String body) {
        try {
            JWKSet all = JWKSet.parse(body);
            JWKSet publicKeys = new JWKSet(all.getKeys().stream().filter(key -> !key.isPrivate()).map(JWK::toPublicJWK).toList());
            log.info("Fetched {} signing key(s) from {}", publicKeys.size(), jwksUri);
            return new Snapshot(publicKeys, nanoClock.getAsLong(), versions.incrementAndGet());
        } catch (ParseException e) {
            throw new IllegalStateException("JWKS at " + jwksUri + " is not a JWK set");
        }
    }

    /** One fetched key set and its version. */
    record Snapshot(JWKSet keys, long fetchedAtNanos, long version) {

        boolean has(String kid) {
            return kid == null ? !keys.isEmpty() : keys.getKeyByKeyId(kid) != null;
        }
    }
}
