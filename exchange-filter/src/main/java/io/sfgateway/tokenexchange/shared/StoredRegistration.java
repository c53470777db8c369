package io.sfgateway.tokenexchange.shared;

import java.net.URI;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * What the shared store must know of one registration to serve its sessions from Redis by the
 * same rules as fresh ones.
 *
 * @param name the registration's name
 * @param deployment what tells this deployment from another that shares the Redis, the key and the
 *     registration name: its login URL and client id, bound into every entry's name
 * @param allowsRestUrl the registration's instance allowlist, applied again to every session read
 *     from Redis (a session pointing elsewhere is a miss)
 * @param sessionTimeout how long an eviction holds: no session obtained before it is usable longer
 */
public record StoredRegistration(String name, String deployment, Predicate<URI> allowsRestUrl, Duration sessionTimeout) {
}
