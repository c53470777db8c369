package io.sfgateway.tokenexchange.e2e;

import org.springframework.boot.SpringApplication;

/** A gateway process for {@link SharedStoreProcessesTest}: the bare test gateway, configured by its arguments. */
public final class ClusterGatewayMain {

    private ClusterGatewayMain() {
    }

    public static void main(String[] args) {
        SpringApplication.run(TestGatewayApplication.class, args);
    }
}
