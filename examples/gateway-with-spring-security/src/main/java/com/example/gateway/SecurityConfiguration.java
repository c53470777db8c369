package com.example.gateway;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

/**
 * Spring Security beside the SalesforceTokenExchange filter. Spring Security's web filters run
 * before any gateway filter, so a resource server that covered the Salesforce routes would
 * validate each caller's token once, and the filter again. Instead:
 * <ol>
 *   <li>the Salesforce routes get a chain of their own without a resource server: the filter
 *       validates the token (signature, issuer, audience, expiry) and exchanges it, and answers
 *       401 itself when it is missing or invalid;</li>
 *   <li>everything else is the resource server's, as usual.</li>
 * </ol>
 * A {@code permitAll()} in one chain would not do: the resource server's bearer-token filter
 * still validates (and refuses) any token presented on a permitted path.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class SecurityConfiguration {

    /** The paths of the routes that carry the SalesforceTokenExchange filter (application.yml). */
    static final String[] SALESFORCE_ROUTES = {"/services/data/**", "/services/apexrest/**"};

    @Bean
    @Order(1)
    SecurityWebFilterChain salesforceRoutes(ServerHttpSecurity http) {
        return http
                .securityMatcher(ServerWebExchangeMatchers.pathMatchers(SALESFORCE_ROUTES))
                .authorizeExchange(exchanges -> exchanges.anyExchange().permitAll()) // the filter validates
                .csrf(ServerHttpSecurity.CsrfSpec::disable) // a bearer-token API: no browser session
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                .build();
    }

    @Bean
    @Order(2)
    SecurityWebFilterChain everythingElse(ServerHttpSecurity http) {
        return http
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers("/actuator/health/**").permitAll()
                        .anyExchange().authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer.jwt(Customizer.withDefaults()))
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .build();
    }
}
