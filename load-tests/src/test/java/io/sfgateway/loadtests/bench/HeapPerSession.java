package io.sfgateway.loadtests.bench;

import static io.sfgateway.loadtests.bench.BenchLog.log;

import com.github.benmanes.caffeine.cache.Ticker;
import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.SessionGrant;
import io.sfgateway.tokenexchange.session.SessionCache;
import io.sfgateway.tokenexchange.session.SessionEvents;
import io.sfgateway.tokenexchange.session.SessionKey;
import io.sfgateway.tokenexchange.session.SessionLifetime;
import java.lang.reflect.Field;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openjdk.jol.info.GraphLayout;
import reactor.core.publisher.Mono;

/**
 * Heap per cached session, by JOL (the one heap method): the filter's own {@link SessionCache} (the gateway's bean:
 * Caffeine, expiry per entry, at most 100,000 entries) filled through its public {@code get} with {@code n}
 * sessions, and {@code GraphLayout.parseInstance(...).totalSize()} of the graph it holds for its entries (from the
 * Caffeine cache's hash table down: table, nodes, keys, futures, sessions; an object shared by many entries counted
 * once), less an empty cache's, per session.
 *
 * <p>Each key and session is built as the gateway builds them from a real exchange: a key
 * {@code jwt:<issuer> <sub>} per subject; a session whose strings are distinct objects (as Jackson parses them from
 * each token response) with a 115-character access token ({@code <orgId>!} + 96 characters, Salesforce's shape) and
 * a user id cut from the {@code id} URL; the instance URL, org id and scope in one {@link SessionGrant} for all
 * sessions, as the exchanger shares it per registration. Needs {@code --add-opens} for java.base's lang, util, util.concurrent and
 * net packages (bench.sh passes them).
 */
final class HeapPerSession {

    private static final String ISSUER = "https://idp.example.com/oauth2/default";
    private static final String ORG_ID = "00D5e000000AbCdEAF";

    private HeapPerSession() {
    }

    /** {@code heap_bytes_per_session_jol} for {@code n} sessions, with {@code sessions}. */
    static Map<String, Object> measure(int n) {
        SecureRandom random = new SecureRandom();
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        SessionLifetime lifetime = new SessionLifetime(Duration.ofHours(2), 0.75);
        // The instance URL, org id and scope: one grant for all sessions, as the exchanger shares it per registration.
        SessionGrant grant = SessionGrant.of(URI.create("https://acme.my.salesforce.com"), ORG_ID, "api");
        // The cache's clock is irrelevant here (nothing expires during the measurement); Caffeine's own ticker.
        SessionCache cache = new SessionCache(100_000, Ticker.systemTicker(), SessionEvents.NONE);
        for (int i = 0; i < n; i++) {
            byte[] bytes = new byte[72];
            random.nextBytes(bytes);
            String id = new String("https://login.salesforce.com/id/" + ORG_ID + "/" + String.format("005%012dAAA", i));
            String userId = id.substring(id.lastIndexOf('/') + 1);
            SalesforceSession session = new SalesforceSession(new String(ORG_ID + "!" + base64.encodeToString(bytes)),
                    grant, userId, System.currentTimeMillis());
            SessionKey key = new SessionKey("salesforce", "jwt:" + ISSUER + " " + String.format("user-%07d@example.com",
                    i));
            cache.get(key, lifetime, () -> Mono.just(session)).block();
        }
        long empty = entriesBytes(new SessionCache(100_000, Ticker.systemTicker(), SessionEvents.NONE));
        double perSession = (entriesBytes(cache) - empty) / (double) n;
        Map<String, Object> heap = new LinkedHashMap<>();
        heap.put("sessions", n);
        heap.put("cache_size", cache.estimatedSize());
        heap.put("heap_bytes_per_session_jol", Stats.round(perSession, 1));
        heap.put("heap_mb_for_100k", Stats.round(perSession * 100_000 / 1024 / 1024, 1));
        log("heap: %s", heap);
        return heap;
    }

    /** JOL's size of the graph the cache holds for its entries: from Caffeine's hash table down. */
    private static long entriesBytes(SessionCache cache) {
        Object asyncCache = field(cache, "cache");
        Object boundedCache = field(asyncCache, "cache");
        return GraphLayout.parseInstance(field(boundedCache, "data")).totalSize();
    }

    /**
     * A field's value by name, searched up the class hierarchy (Caffeine's generated subclasses): neither
     * SessionCache nor Caffeine exposes the hash table, and the cache object itself reaches the application.
     */
    private static Object field(Object owner, String name) {
        for (Class<?> type = owner.getClass(); type != null; type = type.getSuperclass()) {
            try {
                Field field = type.getDeclaredField(name);
                field.setAccessible(true);
                return field.get(owner);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(owner.getClass().getName() + " has no field " + name);
    }
}
