package io.sfgateway.loadtests.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Command-line arguments for {@code gateway-app.jar}: "ours" (the {@code salesforce-rest} route with the
 * {@code SalesforceTokenExchange} filter, configured by the same variables as in production) and "limit" (the same
 * binary with its routes replaced by one plain Spring Cloud Gateway route that sets a static
 * {@code Authorization} header and exchanges nothing).
 */
public final class GatewayArgs {

    /** The REST call every load sends: {@code GET} the org's limits (a 330-byte JSON answer). */
    public static final String LIMITS = "/services/data/v62.0/limits";
    public static final String TOKEN_PATH = "/services/oauth2/token";
    public static final String REGISTRATION = "salesforce";
    public static final String BREAKER = "salesforce-token-exchange-" + REGISTRATION;
    private static final String ROUTE = "--spring.cloud.gateway.server.webflux.routes[0].";

    private GatewayArgs() {
    }

    /**
     * The production route and registration against the emulated org, with an explicit exchange timeout and
     * circuit breaker. The breaker values other than the wait are the filter's own defaults, spelled out because
     * configuring an instance through {@code resilience4j.circuitbreaker.instances.*} replaces all of them.
     */
    public static List<String> ours(int port, int managementPort, String emulatorUrl, String issuer, String jwksUri,
            Duration exchangeTimeout, Duration breakerWait) {
        List<String> args = new ArrayList<>(common(port, managementPort));
        args.add("--SF_LOGIN_URL=" + emulatorUrl);
        args.add("--SF_CLIENT_ID=" + EmulatorAdmin.CLIENT_ID);
        args.add("--SF_CLIENT_SECRET=" + EmulatorAdmin.CLIENT_SECRET);
        args.add("--SF_SCOPES=api");
        args.add("--SF_SESSION_TIMEOUT=2h");
        args.add("--SF_INSTANCE_URL_ALLOWLIST=" + emulatorUrl);
        args.add("--IDP_VALIDATE=true");
        args.add("--IDP_ISSUER=" + issuer);
        args.add("--IDP_JWKS_URI=" + jwksUri);
        args.add("--IDP_AUDIENCES=" + EmulatorAdmin.AUDIENCE);
        args.add("--salesforce.token-exchange.exchange.timeout=" + exchangeTimeout.toMillis() + "ms");
        String breaker = "--resilience4j.circuitbreaker.instances." + BREAKER + ".";
        args.add(breaker + "sliding-window-type=COUNT_BASED");
        args.add(breaker + "sliding-window-size=20");
        args.add(breaker + "minimum-number-of-calls=5");
        args.add(breaker + "failure-rate-threshold=50");
        args.add(breaker + "permitted-number-of-calls-in-half-open-state=2");
        args.add(breaker + "wait-duration-in-open-state=" + breakerWait.toMillis() + "ms");
        return args;
    }

    /**
     * The same jar and runtime, its route list replaced: {@code /services/data/**} straight to the org with
     * {@code SetRequestHeader=Authorization, Bearer <session>}. The registration stays configured (unused), so
     * start-up does the same work.
     */
    public static List<String> limit(int port, int managementPort, String emulatorUrl, String issuer, String jwksUri,
            String sessionToken) {
        List<String> args = new ArrayList<>(ours(port, managementPort, emulatorUrl, issuer, jwksUri,
                Duration.ofSeconds(3), Duration.ofSeconds(10)));
        args.add(ROUTE + "id=limit-static-header");
        args.add(ROUTE + "uri=" + emulatorUrl);
        args.add(ROUTE + "predicates[0]=Path=/services/data/**,/services/apexrest/**");
        args.add(ROUTE + "filters[0]=SetRequestHeader=Authorization, Bearer " + sessionToken);
        return args;
    }

    /**
     * Traffic and actuator on loopback, each on its own port, as the jar ships (actuator never on the traffic port);
     * the actuator's {@code metrics} endpoint added to what the jar exposes, for the harness's readings
     * ({@link ActuatorMetrics}).
     */
    private static List<String> common(int port, int managementPort) {
        return List.of("--server.port=" + port, "--server.address=127.0.0.1", "--spring.main.banner-mode=off",
                "--MANAGEMENT_SERVER_PORT=" + managementPort, "--management.server.address=127.0.0.1",
                "--management.endpoints.web.exposure.include=health,info,prometheus,metrics");
    }

    /** Where a gateway started with {@code managementPort} serves actuator (health, Prometheus). */
    public static String managementUrl(int managementPort) {
        return "http://127.0.0.1:" + managementPort;
    }
}
