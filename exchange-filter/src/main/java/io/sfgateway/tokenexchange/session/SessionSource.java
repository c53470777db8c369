package io.sfgateway.tokenexchange.session;

import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.Subject;
import reactor.core.publisher.Mono;

/**
 * Where a registration's new sessions come from: one token exchange for one subject, already
 * protected (bulkhead, circuit breaker, timeout). {@link SessionService} calls it on a cache miss
 * and for a refresh-ahead, never on a hit. It fails only with an
 * {@link io.sfgateway.tokenexchange.ExchangeFailure}.
 *
 * <p>The library's is {@code config.GuardedTokenExchange} (the registration's
 * {@code exchange.TokenExchanger} under its {@code resilience.ExchangeGuard}); a test or another
 * token source supplies its own.
 */
@FunctionalInterface
public interface SessionSource {

    /** A new session for {@code subject}, exchanged with the subject's current token. */
    Mono<SalesforceSession> exchange(Subject subject);
}
