/**
 * Ready means ready: what a replica does once, after it starts and before its readiness probe
 * answers UP (the IdP's keys fetched, HTTP clients warmed, Redis answered when the shared store is
 * on), retried with backoff until done and never undone. Knows no other package of the library;
 * {@code config} lists the steps.
 */
package io.sfgateway.tokenexchange.warmup;
