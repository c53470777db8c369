package io.sfgateway.emulator;

import java.util.Optional;

/**
 * How the emulated token handler maps a subject token that is not a JWT to a subject.
 * An empty answer refuses the token ({@code invalid_grant}).
 */
@FunctionalInterface
public interface OpaqueTokenRule {

    /** The prefix the {@linkplain #defaultRule() default rule} accepts. */
    String OPAQUE_PREFIX = "opaque:";

    Optional<String> subjectOf(String opaqueToken);

    /** Accepts {@code opaque:<subject>}; the subject is the rest, which must not be blank. */
    static OpaqueTokenRule defaultRule() {
        return token -> token.startsWith(OPAQUE_PREFIX) && !token.substring(OPAQUE_PREFIX.length()).isBlank()
                ? Optional.of(token.substring(OPAQUE_PREFIX.length()))
                : Optional.empty();
    }

    /** Refuses every opaque token: only JWTs from the IdP are accepted. */
    static OpaqueTokenRule rejectAll() {
        return token -> Optional.empty();
    }
}
