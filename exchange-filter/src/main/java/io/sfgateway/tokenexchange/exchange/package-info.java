/**
 * The RFC 8693 token exchange with Salesforce's token endpoint: the request, and the sorting of
 * its answer into a session or a classified failure. Depends on no other package of this library,
 * only on the root vocabulary.
 */
package io.sfgateway.tokenexchange.exchange;
