package io.sfgateway.tokenexchange.subject;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;

/**
 * Tokens that passed full validation, by their SHA-256, so a caller presenting the same token
 * again is not parsed and verified again: the warm path costs a hash and a lookup instead of an
 * RSA verification. An entry is trusted only until the token's {@code exp} (plus clock skew) and
 * only while the IdP key set it was verified against is current. The tokens themselves are not
 * kept.
 */
final class VerifiedTokens {

    private static final MessageDigest SHA_256 = sha256();

    /** What a verified token established. */
    record Verified(String subjectKey, long notAfterMillis, long keySetVersion) {
    }

    private final Cache<Digest, Verified> verified;

    /** @param clock what an entry's remaining life (until {@code notAfterMillis}) is measured against */
    VerifiedTokens(long maximumSize, Clock clock) {
        this.verified = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .expireAfter(Expiry.<Digest, Verified>writing((digest, entry) ->
                        Duration.ofMillis(Math.max(0, entry.notAfterMillis - clock.millis()))))
                .executor(Runnable::run)
                .build();
    }

    /** The subject key of a token verified before and still acceptable, or {@code null}. */
    String subjectKey(Digest digest, long nowMillis, long keySetVersion) {
        Verified entry = verified.getIfPresent(digest);
        if (entry == null || nowMillis > entry.notAfterMillis || entry.keySetVersion != keySetVersion) {
            return null;
        }
        return entry.subjectKey;
    }

    void remember(Digest digest, Verified entry) {
        verified.put(digest, entry);
    }

    static Digest digest(String token) {
        try {
            MessageDigest sha = (MessageDigest) SHA_256.clone();
            ByteBuffer hash = ByteBuffer.wrap(sha.digest(token.getBytes(StandardCharsets.UTF_8)));
            return new Digest(hash.getLong(), hash.getLong());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests are cloneable", e);
        }
    }

    /**
     * The first 128 bits of a token's SHA-256, as two longs: cheap to hash, compare and keep. A
     * forged token would need a second preimage of a verified token's digest (2^128 work); a
     * birthday collision does not help, as an attacker cannot choose the content of a token the
     * IdP signs.
     */
    record Digest(long high, long low) {
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
