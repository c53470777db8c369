package io.sfgateway.loadtests.peer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.TokenExchangeReactiveOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.endpoint.WebClientReactiveTokenExchangeTokenResponseClient;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.web.server.ServerOAuth2AuthorizedClientRepository;
import org.springframework.security.web.server.SecurityWebFilterChain;

/**
 * Spring Security as its reference documentation sets it up for this case: a resource server that validates the
 * caller's bearer JWT, and an authorized-client manager whose only provider is the token-exchange one, so that
 * {@code TokenRelay=salesforce} exchanges the caller's JWT for the registration's access token. Authorized clients
 * are kept in Spring Boot's default in-memory repository (per registration and principal), so a token is reused
 * for as long as Spring believes it is valid.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
public class PeerSecurityConfiguration {

    @Bean
    SecurityWebFilterChain peerSecurity(ServerHttpSecurity http) {
        return http
                .authorizeExchange(exchanges -> exchanges
                        .pathMatchers("/actuator/health/**", "/actuator/prometheus").permitAll()
                        .anyExchange().authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer.jwt(Customizer.withDefaults()))
                // A bearer-token API: no browser session, so no CSRF token (Spring's guidance for stateless APIs).
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .build();
    }

    @Bean
    ReactiveOAuth2AuthorizedClientManager authorizedClientManager(
            ReactiveClientRegistrationRepository clientRegistrations,
            ServerOAuth2AuthorizedClientRepository authorizedClients) {
        // Spring Security names a JWT subject token "urn:ietf:params:oauth:token-type:jwt"; Salesforce (and so the
        // emulator) accepts only its documented types, where a JWT from an external IdP goes as an access token. The
        // one change a deployer of this setup has to make against a real org: the token type in the request.
        WebClientReactiveTokenExchangeTokenResponseClient tokenClient = new WebClientReactiveTokenExchangeTokenResponseClient();
        tokenClient.setParametersCustomizer(parameters -> parameters.set("subject_token_type",
                "urn:ietf:params:oauth:token-type:access_token"));
        TokenExchangeReactiveOAuth2AuthorizedClientProvider tokenExchange = new TokenExchangeReactiveOAuth2AuthorizedClientProvider();
        tokenExchange.setAccessTokenResponseClient(tokenClient);
        ReactiveOAuth2AuthorizedClientProvider provider = ReactiveOAuth2AuthorizedClientProviderBuilder.builder()
                .provider(tokenExchange)
                .build();
        DefaultReactiveOAuth2AuthorizedClientManager manager =
                new DefaultReactiveOAuth2AuthorizedClientManager(clientRegistrations, authorizedClients);
        manager.setAuthorizedClientProvider(provider);
        return manager;
    }
}
