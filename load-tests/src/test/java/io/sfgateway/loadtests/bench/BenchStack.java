package io.sfgateway.loadtests.bench;

import static io.sfgateway.loadtests.bench.BenchLog.log;
import static io.sfgateway.loadtests.support.HostStats.freePorts;

import io.sfgateway.loadtests.support.EmulatorAdmin;
import io.sfgateway.loadtests.support.GatewayArgs;
import io.sfgateway.loadtests.support.ManagedProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The processes under test and where they answer: the emulated org (with its IdP) and the gateways "ours" and
 * "limit" (gateway-app.jar) and "peer" (peer-gateway.jar), each a JVM of its own; stops them all.
 */
final class BenchStack {

    static final String LIMITS = "/services/data/v62.0/limits";
    static final String TOKEN_PATH = "/services/oauth2/token";
    static final List<String> GATEWAY_JVM = List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC");

    private final Map<String, String> opts;
    private final List<String> jvm;
    private final Path logs;
    private final List<ManagedProcess> processes = new ArrayList<>();

    private int[] ports;
    EmulatorAdmin org;
    String orgUrl;
    String oursUrl;
    String limitUrl;
    String peerUrl;
    /** Actuator (health, metrics) of ours and limit: their management ports, not the traffic ports. */
    String oursManagementUrl;
    String limitManagementUrl;
    String issuer;
    String jwks;
    String staticSession;
    ManagedProcess emulator;
    ManagedProcess ours;
    ManagedProcess limit;
    ManagedProcess peer;

    BenchStack(Map<String, String> opts, Path out, List<String> jvm) {
        this.opts = opts;
        this.jvm = jvm;
        this.logs = out.resolve("logs");
    }

    void startOrg() throws IOException {
        ports = freePorts(7);
        orgUrl = "http://127.0.0.1:" + ports[0];
        oursUrl = "http://127.0.0.1:" + ports[2];
        limitUrl = "http://127.0.0.1:" + ports[3];
        peerUrl = "http://127.0.0.1:" + ports[4];
        oursManagementUrl = GatewayArgs.managementUrl(ports[5]);
        limitManagementUrl = GatewayArgs.managementUrl(ports[6]);
        emulator = track(ManagedProcess.java("emulator", jvm, jar("emulator-jar"),
                List.of("--port=" + ports[0], "--idp-port=" + ports[1], "--auto-provision-users=true",
                        "--client-id=" + EmulatorAdmin.CLIENT_ID, "--client-secret=" + EmulatorAdmin.CLIENT_SECRET,
                        "--session-timeout=7200"),
                logs.resolve("emulator.log")));
        emulator.awaitLog("salesforce-emulator ready", Duration.ofSeconds(90));
        org = new EmulatorAdmin(orgUrl);
        Map<String, String> idp = org.idp();
        issuer = idp.get("issuer");
        jwks = idp.get("jwksUri");
        staticSession = org.exchangeDirectly(org.mint("bench-static", Duration.ofHours(3)));
        log("org up at %s (IdP %s); static session obtained by a direct exchange", orgUrl, issuer);
    }

    void startGateways() {
        ours = track(ManagedProcess.java("ours", jvm, jar("gateway-jar"), GatewayArgs.ours(ports[2],
                ports[5], orgUrl, issuer, jwks, Duration.ofSeconds(3), Duration.ofSeconds(10)),
                logs.resolve("ours.log")));
        limit = track(ManagedProcess.java("limit", jvm, jar("gateway-jar"),
                GatewayArgs.limit(ports[3], ports[6], orgUrl, issuer, jwks, staticSession), logs.resolve("limit.log")));
        peer = track(ManagedProcess.java("peer", jvm, jar("peer-jar"),
                List.of("--server.port=" + ports[4], "--server.address=127.0.0.1", "--spring.main.banner-mode=off",
                        "--SF_LOGIN_URL=" + orgUrl, "--SF_CLIENT_ID=" + EmulatorAdmin.CLIENT_ID,
                        "--SF_CLIENT_SECRET=" + EmulatorAdmin.CLIENT_SECRET, "--SF_SCOPES=api",
                        "--IDP_ISSUER=" + issuer, "--IDP_JWKS_URI=" + jwks,
                        "--IDP_AUDIENCES=" + EmulatorAdmin.AUDIENCE),
                logs.resolve("peer.log")));
    }

    void awaitGateways() {
        ours.awaitOk(oursManagementUrl + "/actuator/health/readiness", Duration.ofSeconds(180));
        limit.awaitOk(limitManagementUrl + "/actuator/health/readiness", Duration.ofSeconds(180));
        peer.awaitOk(peerUrl + "/actuator/health/readiness", Duration.ofSeconds(180));
        log("gateways up: ours %s, limit %s, peer %s", oursUrl, limitUrl, peerUrl);
    }

    /** The process of a gateway target ("limit", "ours", "peer"), null for "floor" (no gateway). */
    ManagedProcess gateway(String target) {
        return switch (target) {
            case "limit" -> limit;
            case "ours" -> ours;
            case "peer" -> peer;
            default -> null;
        };
    }

    /** The JVM flags of the org and the gateways. */
    List<String> jvm() {
        return jvm;
    }

    Path logs() {
        return logs;
    }

    ManagedProcess track(ManagedProcess process) {
        processes.add(process);
        return process;
    }

    /** Stops every process started (SIGTERM, then SIGKILL after 15 s), all at once: each waits only for itself. */
    void stopAll() {
        List<Thread> stopping = processes.stream()
                .map(process -> new Thread(process::close, "stop-" + process.name())).toList();
        stopping.forEach(Thread::start);
        for (Thread thread : stopping) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        processes.clear();
    }

    Path jar(String option) {
        Path jar = Path.of(required(option));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("--" + option + ": " + jar + " does not exist (build first)");
        }
        return jar;
    }

    String required(String option) {
        String value = opts.get(option);
        if (value == null) {
            throw new IllegalArgumentException("--" + option + "=... is required");
        }
        return value;
    }
}
