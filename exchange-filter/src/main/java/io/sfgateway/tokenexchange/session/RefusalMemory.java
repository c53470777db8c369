package io.sfgateway.tokenexchange.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.sfgateway.tokenexchange.exchange.ExchangeFailure;
import java.time.Duration;

/**
 * Subject tokens Salesforce refused a moment ago, by the token's digest, so that a client in a
 * retry loop gets its 401 without another call to Salesforce. Entries live a few seconds.
 */
public final class RefusalMemory {

    private final Cache<String, ExchangeFailure> refused;

    public RefusalMemory(Duration ttl, long maximumSize, Ticker ticker) {
        this.refused = Caffeine.newBuilder()
                .expireAfterWrite(ttl)
                .maximumSize(maximumSize)
                .ticker(ticker)
                .executor(Runnable::run)
                .build();
    }

    public void remember(String tokenDigest, ExchangeFailure refusal) {
        refused.put(tokenDigest, refusal);
    }

    /** The refusal remembered for this token, or {@code null}. */
    public ExchangeFailure recall(String tokenDigest) {
        return refused.getIfPresent(tokenDigest);
    }
}
