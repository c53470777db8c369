package io.sfgateway.tokenexchange.subject;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.sfgateway.tokenexchange.SampledReads;
import io.sfgateway.tokenexchange.TokenDigest;
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

    /** What a verified token established. */
    record Verified(String subjectKey, long notAfterMillis, long keySetVersion) {
    }

    private final Cache<Digest, Verified> verified;
    private final SampledReads<Digest, Verified> reads;

    /** @param clock what an entry's remaining life (until {@code notAfterMillis}) is measured against */
    VerifiedTokens(long maximumSize, Clock clock) {
        this.verified = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .expireAfter(Expiry.<Digest, Verified>writing((digest, entry) ->
                        Duration.ofMillis(Math.max(0, entry.notAfterMillis - clock.millis()))))
                .executor(Runnable::run)
                .build();
        this.reads = new SampledReads<>(verified::getIfPresent, verified.policy());
    }

    /** The subject key of a token verified before and still acceptable, or {@code null}. */
    String subjectKey(Digest digest, long nowMillis, long keySetVersion) {
        Verified entry = reads.get(digest);
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
}
