package io.sfgateway.tokenexchange.session;

import io.sfgateway.tokenexchange.ExchangeFailure;
import io.sfgateway.tokenexchange.SalesforceSession;

/**
 * What the session layer reports as it works, for metrics and the audit line. The session
 * package owns this interface and calls it; an observer (the library's
 * {@code observe.ExchangeObserver}) implements it, so dependencies point from the observer to
 * the sessions and never back. Calls come from event-loop threads: implementations must not
 * block. Every method has a no-op default, so an implementation hears only what it needs.
 */
public interface SessionEvents {

    /** A request found its registration's session cached and ready. */
    default void hit(String registration) {
    }

    /** A request found no ready session: it exchanges or joins an exchange in flight. */
    default void miss(String registration) {
    }

    /** A request joined an exchange already in flight instead of starting one (after a {@link #miss}). */
    default void coalesced(String registration) {
    }

    /**
     * One token exchange finished.
     *
     * @param handler the registration's Apex token handler, or {@code null}
     * @param subjectKey the subject's key ({@code jwt:<issuer> <sub>} or {@code sha256:<hex>}): never a token
     * @param nanos how long the exchange took
     * @param session the session obtained, or {@code null} on failure
     * @param failure why it failed, or {@code null} on success
     */
    default void exchanged(String registration, String handler, String subjectKey, long nanos,
            SalesforceSession session, ExchangeFailure failure) {
    }

    /** Hears nothing. */
    SessionEvents NONE = new SessionEvents() {
    };
}
