package io.sfgateway.gateway;

import io.sfgateway.emulator.ConnectedApp;
import io.sfgateway.emulator.EmulatorConfig;
import io.sfgateway.emulator.SalesforceEmulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An emulated org and IdP for the gateway-app tests (the emulator is a test dependency here, never
 * in the production jar), and the environment variables that point the ready gateway at it, given
 * as command-line arguments exactly as an operator would set them.
 */
final class EmulatedOrg implements AutoCloseable {

    static final String CLIENT_ID = "test-client";
    static final String CLIENT_SECRET = "test-secret";
    static final String AUDIENCE = "salesforce-gateway";

    private final SalesforceEmulator emulator;

    EmulatedOrg() {
        this(false);
    }

    /** @param anyUser whether the org knows every subject (auto-provisioning), not only alice and bob */
    EmulatedOrg(boolean anyUser) {
        emulator = SalesforceEmulator.start(EmulatorConfig.builder()
                .app(ConnectedApp.confidential(CLIENT_ID, CLIENT_SECRET))
                .audience(AUDIENCE)
                .sessionTimeout(Duration.ofHours(2))
                .autoProvisionUsers(anyUser)
                .build());
    }

    SalesforceEmulator emulator() {
        return emulator;
    }

    String token(String subject) {
        return emulator.idp().mintToken(subject, AUDIENCE);
    }

    /** The ready gateway's arguments: random ports, the org from SF_* and IDP_* variables, and {@code extra}. */
    String[] gatewayArgs(String... extra) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--MANAGEMENT_SERVER_PORT=0"));
        variables().forEach((name, value) -> args.add("--" + name + "=" + value));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    /** The environment variables that point the ready gateway at this org and its IdP. */
    Map<String, String> variables() {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("SF_LOGIN_URL", emulator.baseUrl());
        variables.put("SF_CLIENT_ID", CLIENT_ID);
        variables.put("SF_CLIENT_SECRET", CLIENT_SECRET);
        variables.put("SF_INSTANCE_URL_ALLOWLIST", emulator.baseUrl());
        variables.put("IDP_ISSUER", emulator.idp().issuer());
        variables.put("IDP_JWKS_URI", emulator.idp().jwksUri());
        variables.put("IDP_AUDIENCES", AUDIENCE);
        return variables;
    }

    @Override
    public void close() {
        emulator.close();
    }
}
