/**
 * The RFC 8693 token exchange with Salesforce's token endpoint: the request, the sorting of its
 * answer into a session or a classified failure, and the guard around it (bulkhead, circuit
 * breaker, timeout) that makes a registration's {@code SessionSource}. Depends on no other
 * package of this library, only on the root vocabulary.
 */
package io.sfgateway.tokenexchange.exchange;
