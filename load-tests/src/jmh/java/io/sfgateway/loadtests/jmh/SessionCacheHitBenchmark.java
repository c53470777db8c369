package io.sfgateway.loadtests.jmh;

import com.github.benmanes.caffeine.cache.Ticker;
import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.SessionGrant;
import io.sfgateway.tokenexchange.session.SessionCache;
import io.sfgateway.tokenexchange.session.SessionEvents;
import io.sfgateway.tokenexchange.session.SessionKey;
import io.sfgateway.tokenexchange.session.SessionLifetime;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Mono;

/**
 * The warm path's session lookup, measured with JMH: {@link SessionCache#get} for a subject whose session is cached
 * (a key built per request, as the filter builds it from the validated token), among 10,000 cached subjects. Run
 * with {@code -Pjmh} (see load-tests/README.md); add {@code -prof gc} for the bytes allocated per lookup.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SessionCacheHitBenchmark {

    private static final int SUBJECTS = 10_000;
    private static final String ISSUER = "https://idp.example.com/oauth2/default";

    private final SessionLifetime lifetime = new SessionLifetime(Duration.ofHours(2), 0.75);
    private SessionCache cache;
    private int next;

    @Setup
    public void fill() {
        cache = new SessionCache(100_000, Ticker.systemTicker(), SessionEvents.NONE);
        SessionGrant grant = SessionGrant.of(URI.create("https://acme.my.salesforce.com"), "00D5e000000AbCdEAF", "api");
        for (int i = 0; i < SUBJECTS; i++) {
            SalesforceSession session = new SalesforceSession("00D5e000000AbCdEAF!token" + i, grant, "005" + i,
                    System.currentTimeMillis());
            cache.get(key(i), lifetime, () -> Mono.just(session)).block();
        }
    }

    private static SessionKey key(int i) {
        return new SessionKey("salesforce", "jwt:" + ISSUER + " user-" + i + "@example.com");
    }

    @Benchmark
    public SalesforceSession cachedSubject() {
        next = (next + 1) % SUBJECTS;
        return cache.get(key(next), lifetime, () -> Mono.error(new IllegalStateException("not cached"))).block();
    }
}
