/**
 * The gateway filter itself: the {@code SalesforceTokenExchange} filter factory, the
 * registrations it serves by name, and the rendering of a refusal into an HTTP answer.
 */
package io.sfgateway.tokenexchange.web;
