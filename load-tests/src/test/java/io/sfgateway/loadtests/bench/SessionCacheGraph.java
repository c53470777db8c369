package io.sfgateway.loadtests.bench;

import io.sfgateway.tokenexchange.session.SessionCache;
import java.lang.reflect.Field;
import org.openjdk.jol.info.GraphLayout;

/**
 * The bytes a {@link SessionCache} really holds for its entries, by JOL: the object graph from the Caffeine cache's
 * hash table ({@code BoundedLocalCache.data}) down: table, Caffeine nodes, keys, futures, cached sessions and what
 * they reference (an object shared by many entries counted once). Not from the {@code SessionCache} itself, whose
 * listener and store reach the rest of the application.
 */
final class SessionCacheGraph {

    private SessionCacheGraph() {
    }

    static long bytes(SessionCache cache) {
        Object asyncCache = field(cache, "cache");
        Object boundedCache = field(asyncCache, "cache");
        return GraphLayout.parseInstance(field(boundedCache, "data")).totalSize();
    }

    /** A field's value by name, searched up the class hierarchy (Caffeine's generated subclasses). */
    private static Object field(Object owner, String name) {
        for (Class<?> type = owner.getClass(); type != null; type = type.getSuperclass()) {
            try {
                Field field = type.getDeclaredField(name);
                field.setAccessible(true);
                return field.get(owner);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(owner.getClass().getName() + " has no field " + name);
    }
}
