package io.sfgateway.tokenexchange.subject;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.sfgateway.tokenexchange.TokenDigest;
import java.util.concurrent.TimeUnit;

/**
 * Tokens that passed full validation, by their SHA-256, so a caller presenting the same token
 * again is not parsed and verified again: the warm path costs a hash and a lookup instead of an
 * RSA verification. An entry is trusted only until the token's {@code exp} (plus clock skew) and
 * only while the IdP key set it was verified against is current. The tokens themselves are not
 * kept.
 */
final class VerifiedTokens {

    /** What a verified token established. */
    record Verified(String subjectKey, long notAfterMillis, long keySetVersion) {
    }

    private final Cache<Digest, Verified> verified;

    VerifiedTokens(long maximumSize) {
        this.verified = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .expireAfter(new UntilNotAfter())
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

    /** The memo's key: the first 128 bits of the digest the filter computed once for the request. */
    static Digest digest(TokenDigest token) {
        return new Digest(token.high(), token.low());
    }

    /**
     * The first 128 bits of a token's SHA-256, as two longs: cheap to hash, compare and keep. A
     * forged token would need a second preimage of a verified token's digest (2^128 work); a
     * birthday collision does not help, as an attacker cannot choose the content of a token the
     * IdP signs.
     */
    record Digest(long high, long low) {
    }

    private static final class UntilNotAfter implements Expiry<Digest, Verified> {

        @Override
        public long expireAfterCreate(Digest key, Verified value, long currentTime) {
            long millis = value.notAfterMillis - System.currentTimeMillis();
            return TimeUnit.MILLISECONDS.toNanos(Math.max(0, millis));
        }

        @Override
        public long expireAfterUpdate(Digest key, Verified value, long currentTime, long currentDuration) {
            return expireAfterCreate(key, value, currentTime);
        }

        @Override
        public long expireAfterRead(Digest key, Verified value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
