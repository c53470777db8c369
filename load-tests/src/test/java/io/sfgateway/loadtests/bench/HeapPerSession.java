package io.sfgateway.loadtests.bench;

import com.github.benmanes.caffeine.cache.Ticker;
import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.session.SessionCache;
import io.sfgateway.tokenexchange.session.SessionKey;
import io.sfgateway.tokenexchange.session.SessionLifetime;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import reactor.core.publisher.Mono;

/**
 * Heap per cached session: fills the filter's own {@link SessionCache} (the gateway's bean: Caffeine, expiry per
 * entry, maximum size 100,000) with {@code n} sessions through its public
 * {@code get(SessionKey, SessionLifetime, Supplier<Mono<SalesforceSession>>)}, and measures the heap retained
 * after full GCs, in three steps: the keys, the sessions, then the cache holding them.
 *
 * <p>Each key and session is built the way the gateway builds them from a real exchange: a key
 * {@code jwt:<issuer> <sub>} concatenated per subject, and a session whose strings are distinct objects (as
 * Jackson parses them from each token response) with a 115-character access token ({@code <orgId>!} + 96
 * characters, Salesforce's shape) and a user id cut from the {@code id} URL; the instance URL ({@code URI}), org id
 * and scope ({@code api}) are one object each for all sessions, as the exchanger shares them per registration; no
 * refresh or id token.
 *
 * <p>Beside it, JOL's size of the object graph the filled cache holds for its entries ({@link SessionCacheGraph}),
 * less an empty cache's, per session ({@code jol_bytes_per_session}).
 *
 * <p>Run with {@code -XX:+UseSerialGC} so that "used after a full GC" is exact. Prints {@code HEAPJSON {...}}.
 */
public final class HeapPerSession {

    private static final String REGISTRATION = "salesforce";
    private static final String ISSUER = "https://idp.example.com/oauth2/default";
    private static final String INSTANCE_URL = "https://acme.my.salesforce.com";
    private static final String ORG_ID = "00D5e000000AbCdEAF";

    private HeapPerSession() {
    }

    public static void main(String[] args) throws URISyntaxException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        SecureRandom random = new SecureRandom();
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        SessionLifetime lifetime = new SessionLifetime(Duration.ofHours(2), 0.75);

        // A small fill first, thrown away, so that class loading, the JIT and the libraries' own caches (Formatter,
        // URI parsing, Caffeine, Reactor) are not counted as the sessions' heap.
        fill(2_000, random, base64, lifetime);
        usedAfterGc();
        long base = usedAfterGc();
        SessionKey[] keys = new SessionKey[n];
        for (int i = 0; i < n; i++) {
            String sub = String.format("user-%07d@example.com", i);
            keys[i] = new SessionKey(REGISTRATION, "jwt:" + ISSUER + " " + sub);
        }
        long afterKeys = usedAfterGc();

        SalesforceSession[] sessions = new SalesforceSession[n];
        URI instanceUrl = new URI(INSTANCE_URL);
        for (int i = 0; i < n; i++) {
            byte[] bytes = new byte[72];
            random.nextBytes(bytes);
            String accessToken = new String(ORG_ID + "!" + base64.encodeToString(bytes));
            String userId = String.format("005%012dAAA", i);
            String id = new String("https://login.salesforce.com/id/" + ORG_ID + "/" + userId);
            String[] parts = id.split("/");
            sessions[i] = new SalesforceSession(accessToken, instanceUrl, ORG_ID, parts[parts.length - 1],
                    System.currentTimeMillis(), "api", null, null);
        }
        long afterSessions = usedAfterGc();

        SessionCache cache = new SessionCache(100_000, Ticker.systemTicker(), SessionCache.Listener.NONE);
        for (int i = 0; i < n; i++) {
            SalesforceSession session = sessions[i];
            cache.get(keys[i], lifetime, () -> Mono.just(session)).block();
        }
        long afterCache = usedAfterGc();
        long size = cache.estimatedSize();
        // JOL: the graph the cache holds for its entries, less an empty cache's.
        long jolEmpty = SessionCacheGraph.bytes(new SessionCache(100_000, Ticker.systemTicker(),
                SessionCache.Listener.NONE));
        double jolPerSession = (SessionCacheGraph.bytes(cache) - jolEmpty) / (double) n;

        double keyBytes = (afterKeys - base - arrayBytes(n)) / (double) n;
        double sessionBytes = (afterSessions - afterKeys - arrayBytes(n)) / (double) n;
        double cacheBytes = (afterCache - afterSessions) / (double) n;
        double total = keyBytes + sessionBytes + cacheBytes;
        System.out.printf("HEAPJSON {\"sessions\":%d,\"cache_size\":%d,\"heap_bytes_per_session\":%.1f,"
                + "\"key_bytes\":%.1f,\"session_bytes\":%.1f,\"cache_structure_bytes\":%.1f,"
                + "\"heap_mb_for_100k\":%.1f,\"jol_bytes_per_session\":%.1f}%n", n, size, total, keyBytes,
                sessionBytes, cacheBytes, total * 100_000 / 1024 / 1024, jolPerSession);
        if (Boolean.getBoolean("heap.histogram")) {
            histogram();
        }
        // Keep everything reachable until measured.
        if (keys.length + sessions.length + cache.estimatedSize() == 42) {
            System.out.println("unlikely");
        }
    }

    private static void fill(int n, SecureRandom random, Base64.Encoder base64, SessionLifetime lifetime)
            throws URISyntaxException {
        SessionCache cache = new SessionCache(100_000, Ticker.systemTicker(), SessionCache.Listener.NONE);
        for (int i = 0; i < n; i++) {
            byte[] bytes = new byte[72];
            random.nextBytes(bytes);
            String id = "https://login.salesforce.com/id/" + ORG_ID + "/" + String.format("005%012dAAA", i);
            String[] parts = id.split("/");
            SalesforceSession session = new SalesforceSession(ORG_ID + "!" + base64.encodeToString(bytes),
                    new URI(new String(INSTANCE_URL)), parts[parts.length - 2], parts[parts.length - 1],
                    System.currentTimeMillis(), "api", null,
                    null);
            cache.get(new SessionKey(REGISTRATION, "jwt:" + ISSUER + " " + String.format("user-%07d@example.com", i)),
                    lifetime, () -> Mono.just(session)).block();
        }
    }

    /** The live-object histogram of this JVM (jcmd GC.class_histogram), top 30 lines: a cross-check. */
    private static void histogram() {
        try {
            Process jcmd = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "jcmd")
                    .toString(), Long.toString(ProcessHandle.current().pid()), "GC.class_histogram")
                    .redirectErrorStream(true).start();
            String text = new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            text.lines().limit(32).forEach(System.out::println);
        } catch (java.io.IOException e) {
            System.out.println("no histogram: " + e);
        }
    }

    /** A reference array of n elements (compressed oops): what holding the objects here costs, not the gateway. */
    private static long arrayBytes(int n) {
        return 16L + 4L * n;
    }

    /** Live heap after full GCs: each heap pool's usage as the last collection left it (what survived it). */
    private static long usedAfterGc() {
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                used += pool.getCollectionUsage().getUsed();
            }
        }
        return used;
    }
}
