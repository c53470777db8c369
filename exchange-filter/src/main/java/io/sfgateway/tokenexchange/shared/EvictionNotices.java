package io.sfgateway.tokenexchange.shared;

import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.session.SessionKey;
import io.sfgateway.tokenexchange.session.SessionStore.RemoteEvictions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The eviction notices replicas send each other, sealed like the sessions (they name a
 * subject): {@code k\n<registration>\n<subject key>\n<sha-256 of the stale access token>} for one
 * session Salesforce called invalid, {@code s\n<subject key>} for every session of a subject.
 */
final class EvictionNotices {

    private static final String PURPOSE = RedisLink.EVICT;

    private final SessionSeal seal;
    private final List<String> registrations;

    EvictionNotices(SessionSeal seal, List<String> registrations) {
        this.seal = seal;
        this.registrations = List.copyOf(registrations);
    }

    List<String> registrations() {
        return registrations;
    }

    byte[] session(SessionKey key, SalesforceSession stale) {
        return sealed("k\n" + key.registration() + "\n" + key.subject() + "\n" + sha256(stale.accessToken()));
    }

    byte[] subject(String subjectKey) {
        return sealed("s\n" + subjectKey);
    }

    /** Applies a notice to the local cache; one that does not open is ignored. */
    void apply(byte[] notice, RemoteEvictions localCache) {
        byte[] plain = seal.openMessage(PURPOSE, notice);
        if (plain == null) {
            return;
        }
        String[] parts = new String(plain, StandardCharsets.UTF_8).split("\n", -1);
        if (parts.length == 4 && parts[0].equals("k")) {
            String staleHash = parts[3];
            localCache.evict(new SessionKey(parts[1], parts[2]), session -> sha256(session.accessToken()).equals(staleHash));
        } else if (parts.length == 2 && parts[0].equals("s")) {
            localCache.evictSubject(parts[1]);
        }
    }

    private byte[] sealed(String notice) {
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
