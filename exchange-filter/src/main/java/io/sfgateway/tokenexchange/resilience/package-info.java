/**
 * The guard around one registration's exchanges: Resilience4j bulkhead, circuit breaker and
 * timeout, so a struggling token endpoint is not hammered and callers are answered in time.
 */
package io.sfgateway.tokenexchange.resilience;
