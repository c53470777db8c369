package io.sfgateway.loadtests.bench;

import static io.sfgateway.loadtests.bench.BenchLog.log;
import static io.sfgateway.loadtests.support.HostStats.freePorts;

import io.sfgateway.loadtests.support.EmulatorAdmin;
import io.sfgateway.loadtests.support.GatewayArgs;
import io.sfgateway.loadtests.support.Stack;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's targets, started on the one {@link Stack}: the emulated org (floor), "limit" (gateway-app.jar
 * with one plain route that sets a static {@code Authorization} header), "ours" (gateway-app.jar as shipped) and,
 * with {@code --explore}, "peer" (peer-gateway.jar).
 */
final class BenchTargets implements AutoCloseable {

    static final List<String> GATEWAY_JVM = List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC");
    /** The exchange timeout ours runs with (the hang's verdict: cold requests answered within it). */
    static final Duration EXCHANGE_TIMEOUT = Duration.ofSeconds(3);

    final Stack stack;
    private final BenchOptions options;
    Stack.Org org;
    /** The org's session for a direct exchange: the floor's bearer token and the limit's static header. */
    String staticSession;
    Stack.Gateway ours;
    Stack.Gateway limit;
    Stack.Gateway peer;

    BenchTargets(BenchOptions options, BenchMode mode) {
        this.options = options;
        this.stack = new Stack(options.out.resolve("logs"), mode.jvm());
    }

    void start() throws IOException {
        int[] ports = freePorts(8);
        org = stack.startOrg(options.emulatorJar, ports[0], ports[1], Duration.ofHours(2));
        staticSession = org.admin().exchangeDirectly(org.admin().mint("bench-static", Duration.ofHours(3)));
        log("org up at %s (IdP %s); static session obtained by a direct exchange", org.url(), org.issuer());
        ours = stack.startGateway("ours", options.gatewayJar, new Stack.Ports(ports[2], ports[3]),
                GatewayArgs.ours(ports[2], ports[3], org.url(), org.issuer(), org.jwks(), EXCHANGE_TIMEOUT,
                        Duration.ofSeconds(10)), Map.of());
        limit = stack.startGateway("limit", options.gatewayJar, new Stack.Ports(ports[4], ports[5]),
                GatewayArgs.limit(ports[4], ports[5], org.url(), org.issuer(), org.jwks(), staticSession), Map.of());
        if (options.explore) {
            // The peer serves actuator on its traffic port.
            peer = stack.startGateway("peer", options.peerJar, new Stack.Ports(ports[6], ports[6]),
                    List.of("--server.port=" + ports[6], "--server.address=127.0.0.1", "--spring.main.banner-mode=off",
                            "--SF_LOGIN_URL=" + org.url(), "--SF_CLIENT_ID=" + EmulatorAdmin.CLIENT_ID,
                            "--SF_CLIENT_SECRET=" + EmulatorAdmin.CLIENT_SECRET, "--SF_SCOPES=api",
                            "--IDP_ISSUER=" + org.issuer(), "--IDP_JWKS_URI=" + org.jwks(),
                            "--IDP_AUDIENCES=" + EmulatorAdmin.AUDIENCE), Map.of());
        }
    }

    void awaitGateways() {
        Duration boot = Duration.ofSeconds(180);
        ours.awaitReady(boot);
        limit.awaitReady(boot);
        if (peer != null) {
            peer.awaitReady(boot);
        }
        log("gateways up: ours %s, limit %s%s", ours.url(), limit.url(), peer == null ? "" : ", peer " + peer.url());
    }

    EmulatorAdmin admin() {
        return org.admin();
    }

    @Override
    public void close() {
        stack.close();
    }
}
