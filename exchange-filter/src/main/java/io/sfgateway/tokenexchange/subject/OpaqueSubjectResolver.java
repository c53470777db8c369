package io.sfgateway.tokenexchange.subject;

import io.sfgateway.tokenexchange.BearerToken;
import io.sfgateway.tokenexchange.Subject;
import io.sfgateway.tokenexchange.TokenDigest;
import io.sfgateway.tokenexchange.InvalidSubjectException;
import reactor.core.publisher.Mono;

/**
 * Local validation off: Salesforce's token exchange handler alone judges the token, which is
 * keyed by its SHA-256. A token of the wrong shape is refused before it costs anything.
 */
final class OpaqueSubjectResolver implements SubjectResolver {

    private final OpaqueTokenShape shape;

    OpaqueSubjectResolver(OpaqueTokenShape shape) {
        this.shape = shape;
    }

    @Override
    public Mono<Subject> resolve(BearerToken token, TokenDigest digest) {
        if (!shape.fits(token)) {
            return Mono.error(new InvalidSubjectException(InvalidSubjectException.Reason.INVALID,
                    "opaque token of " + token.length() + " characters does not have the configured shape"));
        }
        return Mono.just(Subject.opaque(token, digest));
    }

    /** {@code null} for a token of the wrong shape, so {@link #resolve} refuses it. */
    @Override
    public Subject known(BearerToken token, TokenDigest digest) {
        return shape.fits(token) ? Subject.opaque(token, digest) : null;
    }
}
