package io.sfgateway.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The ready gateway: Spring Cloud Gateway with the {@code SalesforceTokenExchange} filter,
 * configured by {@code application.yml} from environment variables. The demo, with an
 * emulated Salesforce org and IdP, is a separate module (gateway-demo) and never part of this jar.
 */
@SpringBootApplication
public class GatewayApplication {

    public static void main(String[] args) {
        SpringApplication.run(GatewayApplication.class, args);
    }
}
