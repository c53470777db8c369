package io.sfgateway.tokenexchange.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.sfgateway.tokenexchange.ExchangeFailure;
import io.sfgateway.tokenexchange.TokenDigest;
import java.time.Duration;

/**
 * Subject tokens Salesforce refused a moment ago, by registration and the token's digest, so
 * that a client in a retry loop gets its 401 without another call to Salesforce. Entries live a
 * few seconds. A refusal on one registration (one org, one handler) says nothing about another,
 * which may accept the same token, so entries never cross registrations.
 */
public final class RefusalMemory {

    private final Cache<Key, ExchangeFailure> refused;

    /** The first 128 bits of the token's digest, as the verified-token memo keeps them. */
    private record Key(String registration, long high, long low) {
    }

    public RefusalMemory(Duration ttl, long maximumSize, Ticker ticker) {
        this.refused = Caffeine.newBuilder()
                .expireAfterWrite(ttl)
                .maximumSize(maximumSize)
                .ticker(ticker)
                .executor(Runnable::run)
                .build();
    }

    public void remember(String registration, TokenDigest tokenDigest, ExchangeFailure refusal) {
        refused.put(new Key(registration, tokenDigest.high(), tokenDigest.low()), refusal);
    }

    /** The refusal remembered for this token on this registration, or {@code null}. */
    public ExchangeFailure recall(String registration, TokenDigest tokenDigest) {
        return refused.getIfPresent(new Key(registration, tokenDigest.high(), tokenDigest.low()));
    }
}
