package io.sfgateway.tokenexchange.actuate;

import java.time.Clock;
import org.springframework.beans.factory.annotation.Qualifier;
import io.sfgateway.tokenexchange.config.TokenExchangeAutoConfiguration;
import io.sfgateway.tokenexchange.config.TokenExchangeProperties;
import org.springframework.boot.actuate.autoconfigure.info.ConditionalOnEnabledInfoContributor;
import io.sfgateway.tokenexchange.session.SessionCache;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.web.server.ConditionalOnManagementPort;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The incident-response endpoint {@code salesforcesessions}: only where actuator is present, only
 * on a separate management port, and off until enabled; and the registrations in
 * {@code /actuator/info} ({@code management.info.salesforce.enabled}, on by default). Its own
 * auto-configuration so that a host without actuator never loads an actuator type.
 */
@AutoConfiguration(after = TokenExchangeAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
public class SalesforceSessionsEndpointAutoConfiguration {

    /** {@code /actuator/info}: the registrations (names, login hosts, grant, validation mode; never a secret). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(TokenExchangeProperties.class)
    @ConditionalOnEnabledInfoContributor("salesforce")
    static class RegistrationsInfo {

        @Bean
        @ConditionalOnMissingBean
        SalesforceRegistrationsInfoContributor salesforceRegistrationsInfoContributor(TokenExchangeProperties properties) {
            return new SalesforceRegistrationsInfoContributor(properties);
        }
    }

    /** Nested: its conditions' own classes come from actuator, so they are read only once actuator is known present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(SessionCache.class)
    @ConditionalOnManagementPort(ManagementPortType.DIFFERENT)
    @ConditionalOnAvailableEndpoint(SalesforceSessionsEndpoint.class)
    static class OnManagementPort {

        @Bean
        @ConditionalOnMissingBean
        SalesforceSessionsEndpoint salesforceSessionsEndpoint(SessionCache sessions,
                @Qualifier("salesforceTokenExchangeClock") Clock clock) {
            return new SalesforceSessionsEndpoint(sessions, clock);
        }
    }
}
