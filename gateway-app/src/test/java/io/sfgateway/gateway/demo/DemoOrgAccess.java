package io.sfgateway.gateway.demo;

import io.sfgateway.emulator.SalesforceEmulator;

/** Lets tests reach the demo's emulated org. */
public final class DemoOrgAccess {

    private DemoOrgAccess() {
    }

    public static SalesforceEmulator running() {
        return DemoOrg.running();
    }
}
