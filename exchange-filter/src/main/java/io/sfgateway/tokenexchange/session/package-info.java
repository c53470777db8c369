/**
 * Salesforce sessions per subject: the one Caffeine cache with single flight and refresh-ahead,
 * the per-registration session service, remembered refusals, and the {@code SessionStore} seam a
 * shared store plugs into.
 */
package io.sfgateway.tokenexchange.session;
