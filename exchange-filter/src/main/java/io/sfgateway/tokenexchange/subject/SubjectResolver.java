package io.sfgateway.tokenexchange.subject;

import io.sfgateway.tokenexchange.BearerToken;
import io.sfgateway.tokenexchange.Subject;
import io.sfgateway.tokenexchange.TokenDigest;
import reactor.core.publisher.Mono;

/** Turns a caller's bearer token into a {@link Subject}, or fails with {@link InvalidSubjectException}. */
@FunctionalInterface
public interface SubjectResolver {

    /**
     * The caller's subject, or an {@link io.sfgateway.tokenexchange.InvalidSubjectException}.
     *
     * @param bearerToken the token where it arrived: {@link BearerToken#value()} makes it a string
     *     of its own, so call it only when the token must be read whole
     * @param digest the token's SHA-256, which the filter computed once: use it rather than
     *     hashing the token again
     */
    Mono<Subject> resolve(BearerToken bearerToken, TokenDigest digest);

    /**
     * The subject at once, when the resolver can tell without I/O or signature work (a token it
     * has fully validated before); {@code null} means "ask {@link #resolve}". The filter's warm
     * path uses it to skip the reactive stages of a request that needs none.
     */
    default Subject known(BearerToken bearerToken, TokenDigest digest) {
        return null;
    }

    /**
     * Completes once the resolver can judge tokens without waiting (a {@link JwtSubjectResolver}:
     * the IdP's keys are fetched); an error means not yet. Readiness waits for it, retrying with
     * backoff, and never asks again once it has completed. Nothing to wait for by default.
     */
    default Mono<Void> ready() {
        return Mono.empty();
    }

    /** Local validation off: Salesforce's token exchange handler alone judges the token. */
    static SubjectResolver opaque() {
        return opaque(OpaqueTokenShape.ANY);
    }

    /** Local validation off, and tokens not of {@code shape} refused before any exchange. */
    static SubjectResolver opaque(OpaqueTokenShape shape) {
        return new OpaqueSubjectResolver(shape);
    }
}
