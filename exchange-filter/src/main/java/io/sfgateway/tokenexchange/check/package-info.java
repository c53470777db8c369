/**
 * A registration checked against its org in one step, for an admin setting it up: one token
 * exchange, straight to the token endpoint (no session cache, no shared store), and the REST host's
 * answer to the session, judged in plain words with the fix for each misconfiguration recognised.
 * Depends on {@code exchange} and {@code apiusage} only.
 */
package io.sfgateway.tokenexchange.check;
