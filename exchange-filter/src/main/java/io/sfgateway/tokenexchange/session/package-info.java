/**
 * Salesforce sessions per subject: the one Caffeine cache with single flight and refresh-ahead,
 * the per-registration session service, remembered refusals, the admission of new opaque
 * subjects, the renewal after a stale-session 401 and how often it may happen, and the
 * {@code SessionStore} seam a shared store plugs into. Depends only on the root vocabulary.
 */
package io.sfgateway.tokenexchange.session;
