package io.sfgateway.loadtests.stack;

import io.sfgateway.loadtests.support.Http;
import io.sfgateway.loadtests.support.GatewayArgs;
import io.sfgateway.loadtests.support.Stack;
import io.sfgateway.loadtests.support.StackInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The stack the Gatling simulations run against, started with {@link Stack}: the emulated org and its IdP, and the
 * gateway jar. Maven starts {@code run} in the background before the simulations and {@code await} right after it;
 * Maven destroys {@code run} when it exits, and {@code run} stops both processes.
 *
 * <p>{@code run} writes {@code <dir>/stack.properties} (see {@link StackInfo}) once a request through the gateway
 * succeeds, or {@code <dir>/stack.failed}. It exits by itself when its parent (Maven) is gone, or after a bounded
 * lifetime (15 min smoke, 2 h full).
 */
@Command(name = "StackMain", mixinStandardHelpOptions = true)
public final class StackMain {

    @Option(names = "--dir", defaultValue = "target/stack")
    Path dir;

    public static void main(String[] args) {
        System.exit(new CommandLine(new StackMain()).execute(args));
    }

    @Command(name = "run")
    int run(@Option(names = "--mode", defaultValue = "smoke") String mode,
            @Option(names = "--emulator-port", required = true) int emulatorPort,
            @Option(names = "--idp-port", required = true) int idpPort,
            @Option(names = "--gateway-port", required = true) int gatewayPort,
            @Option(names = "--management-port", required = true) int managementPort,
            @Option(names = "--gateway-jar", required = true) Path gatewayJar,
            @Option(names = "--emulator-jar", required = true) Path emulatorJar) throws IOException {
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve(StackInfo.FILE));
        Files.deleteIfExists(dir.resolve("stack.failed"));
        boolean smoke = !mode.equals("full");
        // The smoke's outage must open and close the breaker within seconds; the full run keeps the defaults.
        Duration exchangeTimeout = smoke ? Duration.ofSeconds(1) : Duration.ofSeconds(3);
        Duration breakerWait = smoke ? Duration.ofSeconds(1) : Duration.ofSeconds(10);
        // The smoke checks behaviour, not speed: a quick-starting JIT and GC save seconds of start-up.
        List<String> jvm = smoke ? List.of("-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
                : List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC");
        Stack stack = new Stack(dir, jvm);
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "stack-shutdown"));
        try {
            // The org's URLs follow from the reserved ports, so the gateway boots (the slow part) while the org
            // starts; it fetches the IdP's keys on its first request.
            String orgUrl = "http://127.0.0.1:" + emulatorPort;
            String issuer = "http://127.0.0.1:" + idpPort + "/idp";
            Stack.Ports ports = new Stack.Ports(gatewayPort, managementPort);
            Stack.Gateway gateway = stack.startGateway("gateway", gatewayJar, ports, GatewayArgs.ours(gatewayPort,
                    managementPort, orgUrl, issuer, issuer + "/jwks", exchangeTimeout, breakerWait), Map.of());
            Stack.Org org = stack.startOrg(emulatorJar, emulatorPort, idpPort, Duration.ofHours(2));
            if (!org.issuer().equals(issuer)) {
                throw new IllegalStateException("the IdP's issuer is " + org.issuer() + ", not " + issuer);
            }
            gateway.awaitReady(Duration.ofSeconds(100));
            // The gateway may have tried the JWKS before the IdP listened, and then waits out its refetch interval.
            String token = org.admin().mint("stack-probe", Duration.ofMinutes(10));
            Awaitility.await("a request through the gateway answers 200").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500)).until(() -> Http.get(gateway.url() + GatewayArgs.LIMITS,
                            Map.of("Authorization", "Bearer " + token), Duration.ofSeconds(10)).status() == 200);
            writeInfo(mode, gateway, org, exchangeTimeout, breakerWait);
            System.out.println("stack ready: gateway " + gateway.url() + " emulator " + org.url());
            waitForTheEnd(gateway, smoke ? Duration.ofMinutes(15) : Duration.ofHours(2));
            return 0;
        } catch (RuntimeException | Error e) {
            e.printStackTrace();
            Files.writeString(dir.resolve("stack.failed"), String.valueOf(e), StandardCharsets.UTF_8);
            return 1;
        } finally {
            stack.close();
        }
    }

    /** Until Maven is gone, the gateway exits or the lifetime is up. */
    private static void waitForTheEnd(Stack.Gateway gateway, Duration lifetime) {
        CountDownLatch end = new CountDownLatch(1);
        ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(end::countDown));
        gateway.process().onExit().thenRun(end::countDown);
        try {
            end.await(lifetime.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.out.println("stopping the stack");
    }

    private void writeInfo(String mode, Stack.Gateway gateway, Stack.Org org, Duration exchangeTimeout,
            Duration breakerWait) throws IOException {
        Properties info = new Properties();
        info.setProperty("mode", mode);
        info.setProperty("launcher.pid", Long.toString(ProcessHandle.current().pid()));
        info.setProperty("gateway.pid", Long.toString(gateway.process().pid()));
        info.setProperty("gateway.url", gateway.url());
        info.setProperty("gateway.management.url", gateway.managementUrl());
        info.setProperty("emulator.url", org.url());
        info.setProperty("idp.issuer", org.issuer());
        info.setProperty("idp.jwks", org.jwks());
        info.setProperty("exchange.timeout.ms", Long.toString(exchangeTimeout.toMillis()));
        info.setProperty("breaker.wait.ms", Long.toString(breakerWait.toMillis()));
        Path tmp = dir.resolve(StackInfo.FILE + ".tmp");
        try (var out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            info.store(out, "written by StackMain run");
        }
        Files.move(tmp, dir.resolve(StackInfo.FILE), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** Waits for a live stack written by {@code run}: 0 when it answers, 1 otherwise (with the logs' tails). */
    @Command(name = "await")
    int await(@Option(names = "--timeout-seconds", defaultValue = "120") long timeoutSeconds) throws IOException {
        Path failed = dir.resolve("stack.failed");
        try {
            Awaitility.await("the stack in " + dir).atMost(Duration.ofSeconds(timeoutSeconds))
                    .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .failFast("the stack failed to start", () -> Files.exists(failed))
                    .until(() -> live(StackInfo.load(dir.resolve(StackInfo.FILE))));
            System.out.println("stack up: " + StackInfo.load(dir.resolve(StackInfo.FILE)).gatewayUrl());
            return 0;
        } catch (ConditionTimeoutException | org.awaitility.core.TerminalFailureException e) {
            System.err.println(e.getMessage() + (Files.exists(failed) ? ": " + Files.readString(failed) : ""));
            for (String name : List.of("launcher.log", "gateway.log", "emulator.log")) {
                Path log = dir.resolve(name);
                if (Files.exists(log)) {
                    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                    System.err.println("--- last lines of " + log);
                    lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(System.err::println);
                }
            }
            return 1;
        }
    }

    private static boolean live(StackInfo stack) {
        return ProcessHandle.of(stack.launcherPid()).map(ProcessHandle::isAlive).orElse(false)
                && Http.ok(stack.managementUrl() + "/actuator/health/readiness")
                && Http.ok(stack.emulatorUrl() + "/__admin/idp");
    }
}
