/**
 * The vocabulary every package speaks: the caller ({@link io.sfgateway.tokenexchange.Subject}),
 * the Salesforce session obtained for it, the failure types and refusal reasons, and
 * {@link io.sfgateway.tokenexchange.LogSafe} (what may reach a log line). It depends on no
 * package of this library.
 */
package io.sfgateway.tokenexchange;
