package io.sfgateway.tokenexchange.shared;

import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.session.SessionLifetime;
import io.sfgateway.tokenexchange.shared.SessionSeal.Name;
import java.util.List;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * One local miss of the {@link RedisSessionStore}: the entry's names, the exchange to run, this
 * replica's lock token and until when (epoch millis) it waits for another replica's exchange.
 */
record Miss(List<Name> names, SessionLifetime lifetime, Supplier<Mono<SalesforceSession>> exchange, byte[] token,
        long deadline) {

    /** The name the entry is written and locked under. */
    Name name() {
        return names.get(0);
    }
}
