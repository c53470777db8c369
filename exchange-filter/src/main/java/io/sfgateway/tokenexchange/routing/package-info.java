/**
 * Forwarding a request to Salesforce with a session: which paths may carry one, which headers and
 * query parameters are stripped, and the bounded body replay after a stale-session 401 (with the renewal the session service
 * hands over).
 */
package io.sfgateway.tokenexchange.routing;
