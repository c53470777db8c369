package io.sfgateway.tokenexchange.shared;

import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.session.SessionLifetime;
import io.sfgateway.tokenexchange.shared.SessionSeal.Name;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * One local miss of the {@link RedisSessionStore}: the subject's entry, the exchange to run, this
 * replica's lock token and until when (epoch millis) it waits for another replica's exchange.
 */
record Miss(SealedEntries.Entry entry, SessionLifetime lifetime, Supplier<Mono<SalesforceSession>> exchange, byte[] token,
        long deadline) {

    /** The name the entry is written and locked under. */
    Name name() {
        return entry.names().get(0);
    }
}
