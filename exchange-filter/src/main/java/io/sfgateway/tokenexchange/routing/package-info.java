/**
 * Forwarding a request to Salesforce with a session: which paths may carry one, which headers and
 * query parameters are stripped, the bounded body replay after a stale-session 401, and how often
 * a session may be renewed.
 */
package io.sfgateway.tokenexchange.routing;
