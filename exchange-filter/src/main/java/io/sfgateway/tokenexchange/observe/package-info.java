/**
 * What the library reports: metrics, the audit line of each exchange, and the log redaction that
 * keeps tokens and session ids out of log lines.
 */
package io.sfgateway.tokenexchange.observe;
