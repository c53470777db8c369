package io.sfgateway.tokenexchange.subject;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.github.resilience4j.core.IntervalFunction;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The IdP's signing keys, fetched from the configured {@code jwks-uri}, or the one OIDC discovery
 * of the configured {@code issuer-uri} finds ({@link JwksLocation}), never from a URL named inside
 * a token, without blocking, cached, and fetched again when a token names a
 * {@code kid} the cached set lacks (key rotation) or once the set is older than {@code maxAge}.
 * <ul>
 *   <li>Whatever causes it, a fetch starts at most once per {@code minRefresh}: a stream of
 *       tokens with made-up {@code kid}s costs the IdP one request per {@code minRefresh}.</li>
 *   <li>While the IdP fails, the wait between fetches grows exponentially up to
 *       {@code maxBackoff} (Resilience4j's {@link IntervalFunction}); the cached set, if any,
 *       keeps serving.</li>
 *   <li>A fetch that returns the same keys keeps the set's {@link #version()}, so tokens
 *       verified against it stay verified; only a changed set means verifying again.</li>
 * </ul>
 * Concurrent fetches share one request. Time is read from the injected {@link Clock}.
 */
public final class JwksSource {

    private static final Logger log = LoggerFactory.getLogger(JwksSource.class);
    /** With no keys at all yet, the first retries come sooner than {@code minRefresh}. */
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);

    private final WebClient webClient;
    private final JwksLocation jwksUri;
    private final Duration minRefresh;
    private final Duration maxBackoff;
    private final Duration maxAge;
    private final Duration fetchTimeout;
    private final Clock clock;
    private final Scheduler timer;

    private volatile Snapshot current;
    private final AtomicLong versions = new AtomicLong();
    /** No fetch starts before this; {@code null} until the first fetch. */
    private volatile Instant nextFetchAt;
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicReference<Mono<Snapshot>> inFlight = new AtomicReference<>();

    /**
     * @param clock what the fetch schedule reads the time from
     * @param timer where the fetch timeout fires (the gateway passes Netty's event loops)
     */
    public JwksSource(WebClient webClient, JwksLocation jwksUri, JwksSchedule schedule, Clock clock, Scheduler timer) {
        this.webClient = webClient;
        this.timer = timer;
        this.jwksUri = jwksUri;
        this.minRefresh = schedule.minRefresh();
        this.maxBackoff = schedule.maxBackoff();
        this.maxAge = schedule.maxAge();
        this.fetchTimeout = schedule.fetchTimeout();
        this.clock = clock;
    }

    /**
     * The version of the current key set (0 before the first); it changes only when a fetch
     * brings a different set, so what was verified against an older set is verified again.
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
     * Completes once a key set is in hand, fetching one now if none is and a fetch is allowed;
     * fails while there is none (the caller retries, this class paces the fetches).
     */
    Mono<Void> fetched() {
        return Mono.defer(() -> current != null ? Mono.<Void>empty() : keysFor(null).then());
    }

    /**
     * The key set to verify a token signed with {@code kid} (may be {@code null}). Answers the
     * cached set at once when it has the key; fetches when it does not and a fetch is allowed.
     */
    Mono<Snapshot> keysFor(String kid) {
        Snapshot snapshot = current;
        Instant now = clock.instant();
        if (snapshot != null && snapshot.has(kid)) {
            if (Duration.between(snapshot.fetchedAt, now).compareTo(maxAge) > 0 && mayFetch(now)) {
                prefetch();
            }
            return Mono.just(snapshot);
        }
        if (mayFetch(now)) {
            // With keys in hand, a failed fetch leaves the unknown kid unknown (the token is invalid), not the IdP's fault.
            return snapshot == null ? fetch() : fetch().onErrorReturn(snapshot);
        }
        if (snapshot == null) {
            return Mono.error(new IllegalStateException("no keys yet from " + jwksUri + "; next fetch not before " + nextFetchAt));
        }
        return Mono.just(snapshot); // unknown kid, fetched too recently: verification will fail
    }

    private boolean mayFetch(Instant now) {
        Instant next = nextFetchAt;
        return next == null || !now.isBefore(next) || inFlight.get() != null;
    }

    private Mono<Snapshot> fetch() {
        Mono<Snapshot> running = inFlight.get();
        if (running != null) {
            return running;
        }
        Instant[] startedAt = new Instant[1];
        Mono<Snapshot> fetch = Mono.defer(() -> {
                    startedAt[0] = clock.instant();
                    nextFetchAt = startedAt[0].plus(minRefresh); // until this one ends, nobody starts another
                    return jwksUri.jwksUri().flatMap(uri -> webClient.get()
                            .uri(uri)
                            .accept(MediaType.APPLICATION_JSON)
                            .retrieve()
                            .bodyToMono(String.class));
                })
                .timeout(fetchTimeout, timer)
                .map(this::parse)
                .doOnNext(snapshot -> {
                    failures.set(0);
                    current = snapshot;
                })
                .doOnError(error -> {
                    Duration wait = backoff(failures.incrementAndGet());
                    nextFetchAt = startedAt[0] == null ? clock.instant().plus(wait) : startedAt[0].plus(wait);
                    log.warn("Could not fetch JWKS from {}: {}; next attempt in {} s", jwksUri, error.toString(),
                            wait.toSeconds());
                })
                .doFinally(signal -> inFlight.set(null))
                .cache();
        return inFlight.compareAndSet(null, fetch) ? fetch : fetch();
    }

    /** The wait after the {@code failed}-th failure in a row. */
    private Duration backoff(int failed) {
        Duration first = current == null && FIRST_RETRY.compareTo(minRefresh) < 0 ? FIRST_RETRY : minRefresh;
        long millis = IntervalFunction.ofExponentialBackoff(Math.max(1, first.toMillis()), 2.0, maxBackoff.toMillis())
                .apply(failed);
        return Duration.ofMillis(millis);
    }

    private Snapshot parse(String body) {
        JWKSet publicKeys;
        try {
            JWKSet all = JWKSet.parse(body);
            publicKeys = new JWKSet(all.getKeys().stream().filter(key -> !key.isPrivate()).map(JWK::toPublicJWK).toList());
        } catch (ParseException e) {
            throw new IllegalStateException("JWKS at " + jwksUri + " is not a JWK set");
        }
        Set<Map<String, Object>> keys = publicKeys.getKeys().stream().map(JWK::toJSONObject).collect(Collectors.toSet());
        Snapshot previous = current;
        Instant now = clock.instant();
        if (previous != null && previous.fingerprint.equals(keys)) {
            log.debug("JWKS from {} unchanged", jwksUri);
            return new Snapshot(previous.keys, keys, now, previous.version);
        }
        log.info("Fetched {} signing key(s) from {}", publicKeys.size(), jwksUri);
        return new Snapshot(publicKeys, keys, now, versions.incrementAndGet());
    }

    /** One fetched key set, its keys' JSON (to tell whether a later fetch changed anything), and its version. */
    record Snapshot(JWKSet keys, Set<Map<String, Object>> fingerprint, Instant fetchedAt, long version) {

        boolean has(String kid) {
            return kid == null ? !keys.isEmpty() : keys.getKeyByKeyId(kid) != null;
        }
    }
}
