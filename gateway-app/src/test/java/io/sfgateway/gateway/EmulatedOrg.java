package io.sfgateway.gateway;

import io.sfgateway.emulator.ConnectedApp;
import io.sfgateway.emulator.EmulatorConfig;
import io.sfgateway.emulator.SalesforceEmulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--MANAGEMENT_SERVER_PORT=0",
                "--SF_LOGIN_URL=" + emulator.baseUrl(), "--SF_CLIENT_ID=" + CLIENT_ID,
                "--SF_CLIENT_SECRET=" + CLIENT_SECRET, "--SF_INSTANCE_URL_ALLOWLIST=" + emulator.baseUrl(),
                "--IDP_ISSUER=" + emulator.idp().issuer(), "--IDP_JWKS_URI=" + emulator.idp().jwksUri(),
                "--IDP_AUDIENCES=" + AUDIENCE));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @Override
    public void close() {
        emulator.close();
    }
}
