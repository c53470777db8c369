package io.sfgateway.tokenexchange.e2e;

import io.sfgateway.emulator.SalesforceEmulator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A gateway context of a test's own (not the shared rig of {@link GatewayTestSupport}): the
 * properties of one route and registration {@code acme} on {@code org}, which a test adds to.
 */
final class StandaloneGateway {

    static final String REGISTRATION = "salesforce.token-exchange.registrations.acme.";
    /** The connected app and IdP audience the test's org must know (the rig's values, without starting the rig). */
    static final String CLIENT_ID = "gateway-client";
    static final String CLIENT_SECRET = "s3cr3t-client-secret-value";
    static final String AUDIENCE = "salesforce-gateway";
    static final String HANDLER = "DemoTokenExchangeHandler";

    private StandaloneGateway() {
    }

    /** {@code /services/**} routed to {@code org} through registration {@code acme}, validating the org's IdP tokens. */
    static Map<String, Object> acmeOn(SalesforceEmulator org) {
        String route = "spring.cloud.gateway.server.webflux.routes[0].";
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("server.port", "0");
        properties.put(route + "id", "acme");
        properties.put(route + "uri", org.baseUrl());
        properties.put(route + "predicates[0]", "Path=/services/**");
        properties.put(route + "filters[0]", "SalesforceTokenExchange=acme");
        properties.put(REGISTRATION + "login-url", org.baseUrl());
        properties.put(REGISTRATION + "client-id", CLIENT_ID);
        properties.put(REGISTRATION + "client-secret", CLIENT_SECRET);
        properties.put(REGISTRATION + "token-handler", HANDLER);
        properties.put(REGISTRATION + "instance-url-allowlist", org.baseUrl());
        properties.put(REGISTRATION + "subject.validate", "true");
        properties.put(REGISTRATION + "subject.issuer", org.idp().issuer());
        properties.put(REGISTRATION + "subject.jwks-uri", org.idp().jwksUri());
        properties.put(REGISTRATION + "subject.audiences", AUDIENCE);
        return properties;
    }
}
