package io.sfgateway.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The ready gateway: Spring Cloud Gateway with the {@code SalesforceTokenExchange} filter,
 * configured by {@code application.yml} from environment variables. The demo, with an
 * emulated Salesforce org and IdP, is a separate module (gateway-demo) and never part of this jar.
 * {@code --salesforce-check=<registration>} checks a registration against its org instead of
 * serving ({@link SalesforceCheckCommand}).
 */
@SpringBootApplication
public class GatewayApplication {

    public static void main(String[] args) {
        if (SalesforceCheckCommand.registration(args).isPresent()) {
            System.exit(SalesforceCheckCommand.run(args, System.getenv(), System.in, System.out));
        }
        SpringApplication.run(GatewayApplication.class, args);
    }
}
