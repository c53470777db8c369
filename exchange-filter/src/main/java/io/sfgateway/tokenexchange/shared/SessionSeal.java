package io.sfgateway.tokenexchange.shared;

import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.Subject;
import io.sfgateway.tokenexchange.session.SessionKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * How sessions look in Redis: sealed with AES-256-GCM (the JDK's own cipher) and stored under
 * names that are HMACs, so Redis shows neither a session nor who is logged in. A name stands for
 * one user of one registration of one deployment (login URL and client id), whatever other claim
 * the registration keys sessions by: an eviction of the user finds it, and two deployments
 * sharing a Redis and a key never read each other's entries.
 *
 * <p>A value is {@code version(1) | fingerprint(16) | key-id length(1) | key id | nonce(12) |
 * ciphertext+tag}; the whole header and the entry's name are authenticated data, so a value that
 * was altered, cut short, sealed under an unknown key or copied from another entry does not open.
 * The fingerprint (an HMAC of the access token) lets a compare-and-delete in Redis recognise the
 * session without opening it. Sessions are version 2 (they carry the tombstone their exchange
 * began under, {@link SessionCodec}); a version 1 session, as gateways before it wrote, does not
 * open: a miss. Tombstones and eviction notices are version 1.
 *
 * <p>Every configured key both names and opens entries: a session is looked up under the name of
 * the sealing key first, then under the others, so rotating the sealing key needs no flush.
 */
public final class SessionSeal {

    /**
     * Prefix of every Redis key this gateway writes: {@code sfgw:s:} sessions, {@code sfgw:l:}
     * locks, {@code sfgw:t:} eviction tombstones; the three of one entry share a hash tag, so they
     * live in one Redis Cluster slot.
     */
    public static final String PREFIX = "sfgw:";
    /** Tombstones and messages. */
    private static final byte VERSION = 1;
    /** Sessions: since they carry the tombstone seen when their exchange began. */
    private static final byte SESSION_VERSION = 2;
    private static final int FINGERPRINT = 16;
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;

    private final String sealingKeyId;
    private final Map<String, SecretKeySpec> cipherKeys = new LinkedHashMap<>();
    private final Map<String, byte[]> nameKeys = new LinkedHashMap<>();
    /**
     * DRBG, seeded here on the thread building the store: the platform default reads
     * /dev/urandom on use, which would block the event loop a seal runs on.
     */
    private final SecureRandom random = drbg();

    /**
     * @param sealingKeyId the key that seals new values
     * @param keys key id to 32 raw bytes
     */
    public SessionSeal(String sealingKeyId, Map<String, byte[]> keys) {
        if (!keys.containsKey(sealingKeyId)) {
            throw new IllegalArgumentException("the sealing key id is not among the keys");
        }
        this.sealingKeyId = sealingKeyId;
        List<String> ids = new ArrayList<>(keys.keySet());
        ids.remove(sealingKeyId);
        ids.add(0, sealingKeyId);
        for (String id : ids) {
            byte[] key = keys.get(id);
            if (key.length != 32 || id.isEmpty() || id.getBytes(StandardCharsets.UTF_8).length > 255) {
                throw new IllegalArgumentException("key " + id + " must be 32 bytes with a short id");
            }
            cipherKeys.put(id, new SecretKeySpec(key, "AES"));
            nameKeys.put(id, hmac(key, "sfgw entry names".getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** Where a session lives in Redis, under one key's naming. */
    public record Name(String keyId, String redisKey) {

        /** The lock that makes one replica exchange for this entry. */
        public String lockKey() {
            return PREFIX + "l:" + redisKey.substring(PREFIX.length() + 2);
        }

        /** The user's eviction tombstone: sessions obtained before it are not served. */
        public String tombstoneKey() {
            return PREFIX + "t:" + redisKey.substring(PREFIX.length() + 2);
        }
    }

    /**
     * The entry's names: the sealing key's first, then one per older key.
     *
     * @param deployment what tells this deployment's registration from another's of the same name
     *     (its login URL and client id)
     */
    public List<Name> names(String deployment, SessionKey key) {
        byte[] identity = (deployment + "\n" + key.registration() + "\n" + Subject.userKeyOf(key.subject()))
                .getBytes(StandardCharsets.UTF_8);
        List<Name> names = new ArrayList<>(nameKeys.size());
        nameKeys.forEach((id, nameKey) -> names.add(new Name(id,
                PREFIX + "s:{" + Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(nameKey, identity)) + "}")));
        return names;
    }

    /** Recognises {@code session} in a value stored under {@code name} without opening it. */
    public byte[] fingerprint(Name name, SalesforceSession session) {
        return Arrays.copyOf(hmac(nameKeys.get(name.keyId()), session.accessToken().getBytes(StandardCharsets.UTF_8)),
                FINGERPRINT);
    }

    /**
     * @param tombstone the entry's tombstone as it was in Redis when the session's exchange began
     *     ({@code null}: there was none); the session is served only while the tombstone is that one
     * @param subjectKey the subject's full key, compared when the value is opened
     */
    public byte[] seal(Name name, SalesforceSession session, long obtainedAtMillis, byte[] tombstone, String subjectKey) {
        return seal(name.redisKey(), SESSION_VERSION, fingerprint(name, session),
                SessionCodec.encode(session, obtainedAtMillis, SessionCodec.tombstoneSeen(tombstone), subjectKey));
    }

    /**
     * A tombstone for the entry. It holds when the user was evicted, which gateways before version 2
     * sessions compared with when a session was obtained; this one compares tombstones
     * ({@link SessionCodec#tombstoneSeen}).
     */
    public byte[] sealTombstone(Name name, long evictedAtMillis) {
        return seal(name.tombstoneKey(), VERSION, new byte[FINGERPRINT],
                ByteBuffer.allocate(Long.BYTES).putLong(evictedAtMillis).array());
    }

    /** When the entry's user was evicted, or {@link Long#MIN_VALUE} for no tombstone (or one that does not open). */
    public long evictedAt(Name name, byte[] tombstone) {
        byte[] plain = tombstone == null ? null : open(name.tombstoneKey(), VERSION, tombstone);
        if (plain == null || plain.length != Long.BYTES) {
            return Long.MIN_VALUE;
        }
        return ByteBuffer.wrap(plain).getLong();
    }

    /** The session in {@code value} if it opens under {@code name}; otherwise {@code null}, never an exception. */
    public SessionCodec.Decoded open(Name name, byte[] value) {
        byte[] plain = open(name.redisKey(), SESSION_VERSION, value);
        if (plain == null) {
            return null;
        }
        SessionCodec.Decoded decoded = SessionCodec.decode(plain);
        if (decoded == null || !MessageDigest.isEqual(Arrays.copyOfRange(value, 1, 1 + FINGERPRINT),
                fingerprint(name, decoded.session()))) {
            return null;
        }
        return decoded;
    }

    /** Seals a message for the other replicas (eviction notices), bound to {@code purpose}. */
    public byte[] sealMessage(String purpose, byte[] message) {
        return seal(purpose, VERSION, new byte[FINGERPRINT], message);
    }

    public byte[] openMessage(String purpose, byte[] sealed) {
        return open(purpose, VERSION, sealed);
    }

    private byte[] seal(String boundTo, byte version, byte[] fingerprint, byte[] plain) {
        byte[] id = sealingKeyId.getBytes(StandardCharsets.UTF_8);
        int headerLength = 1 + FINGERPRINT + 1 + id.length;
        byte[] out = new byte[headerLength + NONCE + plain.length + TAG_BITS / 8];
        out[0] = version;
        System.arraycopy(fingerprint, 0, out, 1, FINGERPRINT);
        out[1 + FINGERPRINT] = (byte) id.length;
        System.arraycopy(id, 0, out, 2 + FINGERPRINT, id.length);
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        System.arraycopy(nonce, 0, out, headerLength, NONCE);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, cipherKeys.get(sealingKeyId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
            cipher.updateAAD(out, 0, headerLength);
            cipher.doFinal(plain, 0, plain.length, out, headerLength + NONCE);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is always available", e);
        }
    }

    private byte[] open(String boundTo, byte version, byte[] value) {
        if (value == null || value.length < 2 + FINGERPRINT || value[0] != version) {
            return null;
        }
        int idLength = value[1 + FINGERPRINT] & 0xff;
        int headerLength = 2 + FINGERPRINT + idLength;
        if (value.length < headerLength + NONCE + TAG_BITS / 8) {
            return null;
        }
        SecretKeySpec key = cipherKeys.get(new String(value, 2 + FINGERPRINT, idLength, StandardCharsets.UTF_8));
        if (key == null) {
            return null;
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, value, headerLength, NONCE));
            cipher.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
            cipher.updateAAD(value, 0, headerLength);
            return cipher.doFinal(value, headerLength + NONCE, value.length - headerLength - NONCE);
        } catch (GeneralSecurityException e) {
            return null; // altered, truncated or sealed for another entry: not ours to serve
        }
    }

    /** A random value that tells this replica's lock from another's. */
    byte[] lockToken() {
        byte[] token = new byte[16];
        random.nextBytes(token);
        return token;
    }

    private static SecureRandom drbg() {
        try {
            SecureRandom random = SecureRandom.getInstance("DRBG");
            random.nextBytes(new byte[1]);
            return random;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("DRBG is always available", e);
        }
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is always available", e);
        }
    }
}
