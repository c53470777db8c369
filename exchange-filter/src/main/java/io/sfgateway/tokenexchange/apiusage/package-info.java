/**
 * The org's API usage, read from the {@code Sforce-Limit-Info} header of Salesforce's answers as
 * they pass back through the gateway (never an extra call): gauges per registration and org, a
 * WARN at each configured share, and optional shedding of new requests before the org's daily
 * allocation is spent.
 */
package io.sfgateway.tokenexchange.apiusage;
