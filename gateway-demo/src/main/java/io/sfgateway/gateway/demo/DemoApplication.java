package io.sfgateway.gateway.demo;

import io.sfgateway.gateway.GatewayApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The demo: the ready gateway ({@link GatewayApplication}, its own {@code application.yml}) with the
 * {@code demo} profile, which starts an emulated Salesforce org and IdP in this process and points the
 * gateway at them. Lives in its own module so that the production jar holds no emulator and no
 * token-minting IdP.
 */
public final class DemoApplication {

    private DemoApplication() {
    }

    public static void main(String[] args) {
        run(args);
    }

    static ConfigurableApplicationContext run(String... args) {
        return new SpringApplicationBuilder(GatewayApplication.class).profiles(DemoEnvironment.PROFILE).run(args);
    }
}
