package io.sfgateway.tokenexchange.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.sfgateway.tokenexchange.ExchangeFailure;
import io.sfgateway.tokenexchange.TokenDigest;
import java.time.Duration;

/**
 * Subject tokens Salesforce refused a moment ago, by registration and the token's digest, so
 * that a client in a retry loop gets its 401 without another call to Salesforce. Entries live a
 * few seconds. A refusal on one registration (one org, one handler) says nothing about another,
 * which may accept the same token, so entries never cross registrations.
 *
 * <p>Also the subjects whose own hourly login limit Salesforce says is spent
 * ({@link ExchangeFailure.LoginCondition#USER_THROTTLED}), by registration and subject key, each
 * until its {@code Retry-After}: that user's requests get their 503 without another failed login,
 * and nobody else's are held back.
 */
public final class RefusalMemory {

    private final Cache<Key, ExchangeFailure> refused;
    private final Cache<SubjectKey, Throttled> throttled;
    private final Ticker ticker;

    private record SubjectKey(String registration, String subjectKey) {
    }

    private record Throttled(ExchangeFailure failure, long untilNanos) {
    }

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
        this.ticker = ticker;
        this.throttled = Caffeine.newBuilder()
                .expireAfter(Expiry.<SubjectKey, Throttled>creating((key, entry) ->
                        Duration.ofNanos(Math.max(0, entry.untilNanos() - ticker.read()))))
                .maximumSize(maximumSize)
                .ticker(ticker)
                .executor(Runnable::run)
                .build();
    }

    /** Remembers that {@code subjectKey}'s login limit is spent, for the failure's {@code Retry-After}. */
    public void rememberThrottled(String registration, String subjectKey, ExchangeFailure throttle) {
        long seconds = throttle.retryAfterSeconds();
        if (seconds > 0) {
            throttled.put(new SubjectKey(registration, subjectKey),
                    new Throttled(throttle, ticker.read() + Duration.ofSeconds(seconds).toNanos()));
        }
    }

    /** The subject's remembered throttle with the seconds still to wait, or {@code null}. */
    public ExchangeFailure recallThrottled(String registration, String subjectKey) {
        Throttled entry = throttled.getIfPresent(new SubjectKey(registration, subjectKey));
        if (entry == null) {
            return null;
        }
        long remainingNanos = entry.untilNanos() - ticker.read();
        return remainingNanos <= 0 ? null : entry.failure().withRetryAfter(Math.max(1,
                (remainingNanos + 999_999_999L) / 1_000_000_000L));
    }

    public void remember(String registration, TokenDigest tokenDigest, ExchangeFailure refusal) {
        refused.put(new Key(registration, tokenDigest.high(), tokenDigest.low()), refusal);
    }

    /** The refusal remembered for this token on this registration, or {@code null}. */
    public ExchangeFailure recall(String registration, TokenDigest tokenDigest) {
        return refused.getIfPresent(new Key(registration, tokenDigest.high(), tokenDigest.low()));
    }
}
