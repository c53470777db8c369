/**
 * The session store shared by every replica, in Redis ({@code cache.shared.enabled}): sealed
 * values under HMAC names ({@link io.sfgateway.tokenexchange.shared.SessionSeal}), cluster-wide
 * single flight, refresh-ahead and eviction
 * ({@link io.sfgateway.tokenexchange.shared.RedisSessionStore}), each Redis call bounded and
 * guarded so that Redis trouble only ever makes a replica work alone.
 */
package io.sfgateway.tokenexchange.shared;
