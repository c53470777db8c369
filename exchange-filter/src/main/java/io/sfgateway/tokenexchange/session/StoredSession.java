package io.sfgateway.tokenexchange.session;

import io.sfgateway.tokenexchange.SalesforceSession;

/**
 * A session a {@link SessionStore} handed over, with how long ago it was obtained (zero for one
 * just exchanged; more for one another replica obtained): the cache's deadlines run from then.
 */
public record StoredSession(SalesforceSession session, long ageNanos) {

    public static StoredSession fresh(SalesforceSession session) {
        return new StoredSession(session, 0);
    }
}
