package io.sfgateway.gateway.demo;

import io.sfgateway.emulator.ConnectedApp;
import io.sfgateway.emulator.EmulatorConfig;
import io.sfgateway.emulator.SalesforceEmulator;
import java.time.Duration;

/** The demo's emulated org and IdP: one per JVM, stopped with the application. */
final class DemoOrg {

    static final String CLIENT_ID = "demo-client";
    static final String CLIENT_SECRET = "demo-secret";
    static final String HANDLER = "DemoTokenExchangeHandler";
    static final String AUDIENCE = "salesforce-gateway";

    private static SalesforceEmulator emulator;

    private DemoOrg() {
    }

    static synchronized SalesforceEmulator start() {
        if (emulator == null) {
            emulator = SalesforceEmulator.start(EmulatorConfig.builder()
                    .app(ConnectedApp.confidential(CLIENT_ID, CLIENT_SECRET))
                    .audience(AUDIENCE)
                    .sessionTimeout(Duration.ofHours(2))
                    .build());
        }
        return emulator;
    }

    static synchronized SalesforceEmulator running() {
        return emulator;
    }

    static synchronized void stop() {
        if (emulator != null) {
            emulator.close();
            emulator = null;
        }
    }
}
