package io.sfgateway.gateway;

import io.sfgateway.tokenexchange.config.InvalidConfigurationException;
import io.sfgateway.tokenexchange.web.ExchangeRegistrations;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The ready gateway exists to exchange tokens: with no registration at all (no {@code SF_LOGIN_URL}
 * and no YAML of the operator's own) it refuses to start and says how to give it one, instead of
 * running with nothing to route.
 */
@Configuration(proxyBeanMethods = false)
class RegistrationRequired {

    @Bean
    SmartInitializingSingleton salesforceRegistrationRequired(ExchangeRegistrations registrations) {
        return () -> {
            if (registrations.names().isEmpty()) {
                throw new InvalidConfigurationException(EnvironmentRegistration.LOGIN_URL_VARIABLE,
                        "not set, and no registration under salesforce.token-exchange.registrations: set "
                                + EnvironmentRegistration.LOGIN_URL_VARIABLE + ", SF_CLIENT_ID and the other variables,"
                                + " or give your own YAML with --spring.config.additional-location");
            }
        };
    }
}
