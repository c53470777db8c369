package io.sfgateway.tokenexchange.shared;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.session.SessionKey;
import io.sfgateway.tokenexchange.session.SessionStore.RemoteEvictions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;

/**
 * The eviction notices replicas send each other, sealed like the sessions (they name a subject),
 * each with a random id and when it was sent: {@code k\n<id>\n<sent>\n<registration>\n<subject
 * key>\n<sha-256 of the stale access token>} for one session Salesforce called invalid,
 * {@code u\n<id>\n<sent>\n<user key>} for every session of a user. A notice sent longer ago than
 * {@link #MAX_AGE}, or already applied, is dropped: recorded notices replayed into the channel do
 * nothing.
 */
final class EvictionNotices {

    /** How old a notice may be when it arrives (pub/sub delivers at once; this covers clock skew between pods). */
    static final Duration MAX_AGE = Duration.ofSeconds(30);
    private static final String PURPOSE = RedisLink.EVICT;

    private final SessionSeal seal;
    private final Clock clock;
    private final Cache<String, Boolean> applied = Caffeine.newBuilder()
            .expireAfterWrite(MAX_AGE.multipliedBy(2)).maximumSize(100_000).build();

    EvictionNotices(SessionSeal seal, Clock clock) {
        this.seal = seal;
        this.clock = clock;
    }

    byte[] session(SessionKey key, SalesforceSession stale) {
        return sealed("k", key.registration() + "\n" + key.subject() + "\n" + sha256(stale.accessToken()));
    }

    byte[] user(String userKey) {
        return sealed("u", userKey);
    }

    /** Applies a notice to the local cache; one that does not open, is stale or was applied before is ignored. */
    void apply(byte[] notice, RemoteEvictions localCache) {
        byte[] plain = seal.openMessage(PURPOSE, notice);
        if (plain == null) {
            return;
        }
        String[] parts = new String(plain, StandardCharsets.UTF_8).split("\n", -1);
        if (parts.length < 4 || !fresh(parts[2]) || applied.asMap().putIfAbsent(parts[1], Boolean.TRUE) != null) {
            return;
        }
        if (parts.length == 6 && parts[0].equals("k")) {
            String staleHash = parts[5];
            localCache.evict(new SessionKey(parts[3], parts[4]), session -> sha256(session.accessToken()).equals(staleHash));
        } else if (parts.length == 4 && parts[0].equals("u")) {
            localCache.evictSubject(parts[3]);
        }
    }

    private boolean fresh(String sentAt) {
        try {
            return Math.abs(clock.millis() - Long.parseLong(sentAt)) <= MAX_AGE.toMillis();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private byte[] sealed(String kind, String body) {
        String id = HexFormat.of().formatHex(seal.lockToken());
        String notice = kind + "\n" + id + "\n" + clock.millis() + "\n" + body;
        return seal.sealMessage(PURPOSE, notice.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
