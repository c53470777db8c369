package io.sfgateway.tokenexchange.subject;

import io.sfgateway.tokenexchange.Subject;
import reactor.core.publisher.Mono;

/** Turns a caller's bearer token into a {@link Subject}, or fails with {@link InvalidSubjectException}. */
@FunctionalInterface
public interface SubjectResolver {

    Mono<Subject> resolve(String bearerToken);

    /**
     * The subject at once, when the resolver can tell without I/O or signature work (a token it
     * has fully validated before); {@code null} means "ask {@link #resolve}". The filter's warm
     * path uses it to skip the reactive stages of a request that needs none.
     */
    default Subject known(String bearerToken) {
        return null;
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
