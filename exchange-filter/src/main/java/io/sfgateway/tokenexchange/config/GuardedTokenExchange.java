package io.sfgateway.tokenexchange.config;

import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.Subject;
import io.sfgateway.tokenexchange.exchange.TokenExchanger;
import io.sfgateway.tokenexchange.resilience.ExchangeGuard;
import io.sfgateway.tokenexchange.session.SessionSource;
import reactor.core.publisher.Mono;

/**
 * A registration's {@link SessionSource}: its {@link TokenExchanger} under its
 * {@link ExchangeGuard}. It lives here, where the wiring is, so that {@code exchange} and
 * {@code resilience} need not know the {@code session} package.
 */
final class GuardedTokenExchange implements SessionSource {

    private final TokenExchanger exchanger;
    private final ExchangeGuard guard;

    GuardedTokenExchange(TokenExchanger exchanger, ExchangeGuard guard) {
        this.exchanger = exchanger;
        this.guard = guard;
    }

    @Override
    public Mono<SalesforceSession> exchange(Subject subject) {
        return exchanger.exchange(subject.token()).transformDeferred(guard);
    }
}
