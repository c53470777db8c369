package io.sfgateway.loadtests.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one launcher of the processes under test, each a JVM of its own on loopback: the emulated org with its IdP
 * (the emulator's executable jar) and gateways (a jar with its arguments and environment). The smoke's stack
 * ({@code StackMain}), the benchmark's targets and its shared-store replicas all start here. {@link #close()} stops
 * every one at once (SIGTERM, then SIGKILL after 15 s); {@link ManagedProcess} also stops them when this JVM exits.
 */
public final class Stack implements AutoCloseable {

    /** A gateway's two loopback ports: traffic and actuator (the jar never serves actuator on the traffic port). */
    public record Ports(int traffic, int management) {

        public String url() {
            return "http://127.0.0.1:" + traffic;
        }

        public String managementUrl() {
            return GatewayArgs.managementUrl(management);
        }
    }

    /** A started gateway: where its traffic and its actuator answer, and its process. */
    public record Gateway(String name, String url, String managementUrl, ManagedProcess process) {

        /** Returns once its readiness group answers 200; fails with its log's tail if it dies or takes too long. */
        public Gateway awaitReady(Duration timeout) {
            process.awaitOk(managementUrl + "/actuator/health/readiness", timeout);
            return this;
        }
    }

    /** The started org: its base URL, the IdP's issuer and JWKS URI, its admin API, its process. */
    public record Org(String url, String issuer, String jwks, EmulatorAdmin admin, ManagedProcess process) {
    }

    private final Path logs;
    private final List<String> jvm;
    private final List<ManagedProcess> processes = new CopyOnWriteArrayList<>();

    /**
     * @param logs where each process's output goes ({@code <name>.log})
     * @param jvm the JVM flags of every process started
     */
    public Stack(Path logs, List<String> jvm) {
        this.logs = logs;
        this.jvm = List.copyOf(jvm);
    }

    /** The emulator's jar on {@code orgPort} (REST, token endpoint, admin) and {@code idpPort}; returns once ready. */
    public Org startOrg(Path emulatorJar, int orgPort, int idpPort, Duration sessionTimeout) {
        ManagedProcess process = track(ManagedProcess.java("emulator", jvm, emulatorJar,
                List.of("--port=" + orgPort, "--idp-port=" + idpPort, "--auto-provision-users=true",
                        "--client-id=" + EmulatorAdmin.CLIENT_ID, "--client-secret=" + EmulatorAdmin.CLIENT_SECRET,
                        "--session-timeout=" + sessionTimeout.toSeconds()),
                logs.resolve("emulator.log")));
        process.awaitLog("salesforce-emulator ready", Duration.ofSeconds(90));
        String url = "http://127.0.0.1:" + orgPort;
        EmulatorAdmin admin = new EmulatorAdmin(url);
        Map<String, String> idp = admin.idp();
        return new Org(url, idp.get("issuer"), idp.get("jwksUri"), admin, process);
    }

    /** Starts {@code jar} with {@code args} and {@code environment} added to this process's; returns at once. */
    public Gateway startGateway(String name, Path jar, Ports ports, List<String> args,
            Map<String, String> environment) {
        ManagedProcess process = track(ManagedProcess.java(name, jvm, jar, args, environment,
                logs.resolve(name + ".log")));
        return new Gateway(name, ports.url(), ports.managementUrl(), process);
    }

    private ManagedProcess track(ManagedProcess process) {
        processes.add(process);
        return process;
    }

    /** Stops every process started, all at once: each waits only for itself. */
    @Override
    public void close() {
        List<Thread> stopping = processes.stream().map(p -> new Thread(p::close, "stop-" + p.name())).toList();
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
}
