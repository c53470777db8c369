package io.sfgateway.tokenexchange.session;

import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.Subject;
import io.sfgateway.tokenexchange.routing.SessionForwarder;
import reactor.core.publisher.Mono;

/**
 * One subject's renewal after Salesforce called its session invalid (a 401
 * {@code INVALID_SESSION_ID}), handed out by {@link SessionService#renewal}: the eviction is
 * allowed once per subject per {@link RenewalLimit} interval, and the renewed session is the
 * service's, a new exchange or one already under way.
 */
final class SubjectRenewal implements SessionRenewal {

    private final SessionService sessions;
    private final Subject subject;
    private final RenewalLimit limit;

    SubjectRenewal(SessionService sessions, Subject subject, RenewalLimit limit) {
        this.sessions = sessions;
        this.subject = subject;
        this.limit = limit;
    }

    @Override
    public boolean evict(SalesforceSession stale) {
        if (!limit.tryClaim(sessions.registration() + '\u0000' + subject.key())) {
            return false;
        }
        sessions.evict(subject, stale);
        return true;
    }

    @Override
    public Mono<SalesforceSession> renewed() {
        return sessions.sessionFor(subject);
    }
}
