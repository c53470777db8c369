package io.sfgateway.tokenexchange.e2e;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/** A bare Spring Cloud Gateway application: the filter arrives by auto-configuration alone. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class TestGatewayApplication {
}
