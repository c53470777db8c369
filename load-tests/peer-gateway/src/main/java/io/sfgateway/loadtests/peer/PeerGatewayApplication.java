package io.sfgateway.loadtests.peer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The benchmark's "peer": a Spring Cloud Gateway that reaches Salesforce the way Spring's own documentation
 * suggests, with no code of this project: the caller's JWT is validated by Spring Security's resource server
 * against the IdP's JWKS, a Spring Security OAuth2 client registration performs the RFC 8693 token exchange
 * ({@code TokenExchangeReactiveOAuth2AuthorizedClientProvider}), and Spring Cloud Gateway's {@code TokenRelay}
 * filter sends the obtained access token upstream. Configured by the same environment variables as the real
 * gateway (see {@code application.yml}).
 */
@SpringBootApplication
public class PeerGatewayApplication {

    public static void main(String[] args) {
        SpringApplication.run(PeerGatewayApplication.class, args);
    }
}
