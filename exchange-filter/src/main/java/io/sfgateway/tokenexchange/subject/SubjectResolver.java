package io.sfgateway.tokenexchange.subject;

import reactor.core.publisher.Mono;

/** Turns a caller's bearer token into a {@link Subject}, or fails with {@link InvalidSubjectException}. */
@FunctionalInterface
public interface SubjectResolver {

    Mono<Subject> resolve(String bearerToken);

    /** Local validation off: Salesforce's token exchange handler alone judges the token. */
    static SubjectResolver opaque() {
        return token -> Mono.just(Subject.opaque(token));
    }
}
