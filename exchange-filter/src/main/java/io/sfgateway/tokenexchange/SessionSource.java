package io.sfgateway.tokenexchange;

import reactor.core.publisher.Mono;

/**
 * Where a registration's new sessions come from: one token exchange for one subject, already
 * protected (bulkhead, circuit breaker, timeout). The session service calls it on a cache miss
 * and for a refresh-ahead, never on a hit. It fails only with an
 * {@link ExchangeFailure}.
 *
 * <p>The library's is {@code exchange.GuardedTokenExchange} (the registration's
 * {@code TokenExchanger} under its {@code ExchangeGuard}); a test or another
 * token source supplies its own.
 */
@FunctionalInterface
public interface SessionSource {

    /** A new session for {@code subject}, exchanged with the subject's current token. */
    Mono<SalesforceSession> exchange(Subject subject);
}
