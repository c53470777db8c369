package io.sfgateway.tokenexchange.session;

import io.sfgateway.tokenexchange.SalesforceSession;
import reactor.core.publisher.Mono;

/** What the forwarder does with a session Salesforce called invalid: evict it, then use the renewed one. */
public interface SessionRenewal {

    /**
     * Forgets the stale session, so no request uses it again, and returns true; or returns
     * false, forgetting nothing, when the subject's session was replaced too recently.
     */
    boolean evict(SalesforceSession stale);

    /** The subject's session after the eviction: a fresh exchange, or one already under way. */
    Mono<SalesforceSession> renewed();
}
