package io.sfgateway.tokenexchange.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;

/**
 * At most one session replacement per subject per interval on Salesforce's word (a 401
 * {@code INVALID_SESSION_ID}). Without it, anything that makes Salesforce refuse a subject's
 * sessions over and over would cost one token exchange per request. A 401 that comes sooner
 * goes back to the caller and the session stays: it is renewed at the first 401 after the
 * interval, or when it expires. Claims live in Caffeine, expiring after the interval.
 */
public final class RenewalLimit {

    private final Cache<String, Boolean> recent;

    public RenewalLimit(Duration interval, long maximumSubjects, Ticker ticker) {
        this.recent = Caffeine.newBuilder()
                .expireAfterWrite(interval)
                .maximumSize(maximumSubjects)
                .ticker(ticker)
                .executor(Runnable::run)
                .build();
    }

    /** True for the first claim of {@code subjectKey} in the interval, false for every other. */
    public boolean tryClaim(String subjectKey) {
        return recent.asMap().putIfAbsent(subjectKey, Boolean.TRUE) == null;
    }
}
