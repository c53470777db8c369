/**
 * Who is calling: the bearer token taken from the request and the {@code SubjectResolver} that
 * turns it into a {@code Subject} (verified JWTs against the IdP's keys, or opaque tokens by
 * shape), with the limiter on new opaque tokens.
 */
package io.sfgateway.tokenexchange.subject;
