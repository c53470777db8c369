package io.sfgateway.tokenexchange.config;

import io.sfgateway.tokenexchange.subject.SubjectResolver;

/**
 * Builds the {@link SubjectResolver} of each configured registration, once, at start-up. The
 * library's bean is {@link DefaultSubjectResolvers} (JWTs verified against the registration's
 * IdP, or opaque tokens); an application bean of this type replaces it, as a {@code KeyResolver}
 * bean does in Spring Cloud Gateway, to bring a token source of its own.
 */
@FunctionalInterface
public interface SubjectResolvers {

    /**
     * @param name the registration's name ({@code salesforce.token-exchange.registrations.<name>})
     * @param registration its properties, already checked at start-up
     */
    SubjectResolver forRegistration(String name, RegistrationProperties registration);
}
