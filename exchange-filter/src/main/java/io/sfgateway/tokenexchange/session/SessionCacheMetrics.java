package io.sfgateway.tokenexchange.session;

import com.github.benmanes.caffeine.cache.Cache;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;

/**
 * Micrometer's Caffeine binder on the session cache ({@code cache=salesforce.sessions}):
 * {@code cache.size}, {@code cache.puts}, {@code cache.evictions}, {@code cache.eviction.weight},
 * {@code cache.load} and {@code cache.load.duration}, all but {@code cache.gets}. That one the
 * library counts itself, per registration ({@code SessionEvents}): Caffeine sees only the lookups
 * that load, not the warm path's reads, and a second {@code cache.gets} with other tag keys would
 * be refused by Prometheus.
 */
final class SessionCacheMetrics extends CaffeineCacheMetrics<Object, Object, Cache<Object, Object>> {

    /** The {@code cache} tag of every session cache meter. */
    static final String CACHE_NAME = "salesforce.sessions";

    @SuppressWarnings("unchecked")
    SessionCacheMetrics(Cache<?, ?> cache) {
        super((Cache<Object, Object>) cache, CACHE_NAME, Tags.empty());
    }

    /** No hit counter from the binder (it registers none for -1). */
    @Override
    protected long hitCount() {
        return -1;
    }

    /** No miss counter from the binder (it registers none for {@code null}). */
    @Override
    protected Long missCount() {
        return null;
    }
}
