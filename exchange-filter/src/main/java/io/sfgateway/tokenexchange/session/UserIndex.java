package io.sfgateway.tokenexchange.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.sfgateway.tokenexchange.Subject;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * Which of the {@link SessionCache}'s keys belong to which user, so that evicting a user touches
 * that user's entries alone: a scan of the whole cache per eviction would let a burst of notices
 * burn every replica's CPU.
 *
 * <p>A key is recorded when its load starts (so a load in flight is found too) and again when it
 * ends, and stays until the registration's session timeout has passed since it was last loaded or
 * refreshed, which no entry of it outlives. The index may therefore name keys the cache no longer holds (removing them is
 * harmless), never miss one it holds. Only validated subjects ({@code jwt:}) are recorded: only
 * they can be named for eviction.
 */
final class UserIndex {

    private record Keys(Set<SessionKey> keys, Duration timeout) {
    }

    private final Cache<String, Keys> users;

    /** @param maximumSize more users than the cache can hold sessions of (size eviction is a last resort) */
    UserIndex(Ticker ticker, long maximumSize) {
        this.users = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .ticker(ticker)
                .executor(Runnable::run)
                .expireAfter(Expiry.writing((String user, Keys keys) -> keys.timeout()))
                .build();
    }

    void add(SessionKey key, SessionLifetime lifetime) {
        if (!key.subject().startsWith("jwt:")) {
            return;
        }
        users.asMap().compute(Subject.userKeyOf(key.subject()), (user, known) -> {
            if (known == null) {
                return new Keys(Set.of(key), lifetime.timeout());
            }
            Set<SessionKey> keys = new HashSet<>(known.keys());
            keys.add(key);
            Duration longer = known.timeout().compareTo(lifetime.timeout()) >= 0 ? known.timeout() : lifetime.timeout();
            return new Keys(Set.copyOf(keys), longer);
        });
    }

    /** The keys recorded for {@code userKey}, forgotten here. */
    Set<SessionKey> remove(String userKey) {
        Keys keys = users.asMap().remove(userKey);
        return keys == null ? Set.of() : keys.keys();
    }

    void clear() {
        users.invalidateAll();
    }
}
