package io.sfgateway.loadtests.stack;

import io.sfgateway.emulator.ConnectedApp;
import io.sfgateway.emulator.EmulatorConfig;
import io.sfgateway.emulator.SalesforceEmulator;
import io.sfgateway.loadtests.support.EmulatorAdmin;
import io.sfgateway.loadtests.support.GatewayArgs;
import io.sfgateway.loadtests.support.Http;
import io.sfgateway.loadtests.support.ManagedProcess;
import io.sfgateway.loadtests.support.StackInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The stack the Gatling simulations run against: the emulated org and its IdP in this process, the gateway jar as
 * a child process. Maven starts {@code run} in the background before the simulations ({@code pre-integration-test})
 * and {@code await} right after it; Maven destroys {@code run} when it exits, and {@code run} stops the gateway.
 *
 * <pre>
 * run   --dir=D --mode=smoke|full --emulator-port=N --idp-port=N --gateway-port=N --gateway-jar=PATH
 * await --dir=D [--timeout-seconds=120]
 * </pre>
 *
 * {@code run} writes {@code D/stack.properties} (see {@link StackInfo}) once both answer, or {@code D/stack.failed}.
 * It exits by itself when its parent (Maven) is gone, or after a bounded lifetime (15 min smoke, 2 h full).
 */
public final class StackMain {

    private StackMain() {
    }

    public static void main(String[] argv) throws Exception {
        if (argv.length == 0) {
            System.err.println("usage: StackMain run|await --dir=... [options]");
            System.exit(2);
        }
        Map<String, String> args = options(argv);
        Path dir = Path.of(args.getOrDefault("dir", "target/stack"));
        switch (argv[0]) {
            case "run" -> run(dir, args);
            case "await" -> System.exit(await(dir, Duration.ofSeconds(Long.parseLong(
                    args.getOrDefault("timeout-seconds", "120")))));
            default -> {
                System.err.println("unknown command " + argv[0]);
                System.exit(2);
            }
        }
    }

    private static void run(Path dir, Map<String, String> args) throws Exception {
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve(StackInfo.FILE));
        Files.deleteIfExists(dir.resolve("stack.failed"));
        String mode = args.getOrDefault("mode", "smoke");
        boolean smoke = !mode.equals("full");
        // The smoke's outage must open and close the breaker within seconds; the full run keeps the defaults.
        Duration exchangeTimeout = smoke ? Duration.ofSeconds(1) : Duration.ofSeconds(3);
        Duration breakerWait = smoke ? Duration.ofSeconds(1) : Duration.ofSeconds(10);
        Duration lifetime = smoke ? Duration.ofMinutes(15) : Duration.ofHours(2);

        SalesforceEmulator emulator = null;
        ManagedProcess gateway = null;
        CountDownLatch stop = new CountDownLatch(1);
        try {
            // The ports are reserved beforehand, so the org's URLs are known: the gateway boots (the slow part)
            // while the org starts. It fetches the IdP's keys on its first request.
            int emulatorPort = Integer.parseInt(args.get("emulator-port"));
            int idpPort = Integer.parseInt(args.get("idp-port"));
            String emulatorUrl = "http://127.0.0.1:" + emulatorPort;
            String issuer = "http://127.0.0.1:" + idpPort + "/idp";
            int gatewayPort = Integer.parseInt(args.getOrDefault("gateway-port", "8080"));
            String gatewayUrl = "http://127.0.0.1:" + gatewayPort;
            int managementPort = Integer.parseInt(args.getOrDefault("management-port", "8081"));
            String managementUrl = GatewayArgs.managementUrl(managementPort);
            Path jar = Path.of(args.getOrDefault("gateway-jar", "../gateway-app/target/gateway-app.jar"));
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar.toAbsolutePath() + " is missing: build gateway-app first");
            }
            // The smoke checks behaviour, not speed: a quick-starting JIT and GC save seconds of start-up.
            List<String> jvm = smoke ? List.of("-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
                    : List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC");
            gateway = ManagedProcess.java("gateway", jvm, jar,
                    GatewayArgs.ours(gatewayPort, managementPort, emulatorUrl, issuer, issuer + "/jwks", exchangeTimeout,
                            breakerWait),
                    dir.resolve("gateway.log"));
            emulator = SalesforceEmulator.start(EmulatorConfig.builder()
                    .port(emulatorPort)
                    .idpPort(idpPort)
                    .autoProvisionUsers(true)
                    .app(ConnectedApp.confidential(EmulatorAdmin.CLIENT_ID, EmulatorAdmin.CLIENT_SECRET))
                    .sessionTimeout(Duration.ofHours(2))
                    .build());
            if (!emulator.baseUrl().equals(emulatorUrl) || !emulator.idp().issuer().equals(issuer)) {
                throw new IllegalStateException("the org runs at " + emulator.baseUrl() + " with issuer "
                        + emulator.idp().issuer() + ", not " + emulatorUrl + " / " + issuer);
            }
            gateway.awaitOk(managementUrl + "/actuator/health/readiness", Duration.ofSeconds(100));
            awaitEndToEnd(gateway, gatewayUrl, new EmulatorAdmin(emulatorUrl), Duration.ofSeconds(60));

            Properties info = new Properties();
            info.setProperty("mode", mode);
            info.setProperty("launcher.pid", Long.toString(ProcessHandle.current().pid()));
            info.setProperty("gateway.pid", Long.toString(gateway.pid()));
            info.setProperty("gateway.url", gatewayUrl);
            info.setProperty("gateway.management.url", managementUrl);
            info.setProperty("emulator.url", emulator.baseUrl());
            info.setProperty("idp.issuer", emulator.idp().issuer());
            info.setProperty("idp.jwks", emulator.idp().jwksUri());
            info.setProperty("exchange.timeout.ms", Long.toString(exchangeTimeout.toMillis()));
            info.setProperty("breaker.wait.ms", Long.toString(breakerWait.toMillis()));
            Path tmp = dir.resolve(StackInfo.FILE + ".tmp");
            try (var out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                info.store(out, "written by StackMain run");
            }
            Files.move(tmp, dir.resolve(StackInfo.FILE), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            System.out.println("stack ready: gateway " + gatewayUrl + " emulator " + emulator.baseUrl());

            SalesforceEmulator toClose = emulator;
            ManagedProcess toStop = gateway;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                toStop.close();
                toClose.close();
                stop.countDown();
            }, "stack-shutdown"));
            Optional<ProcessHandle> parent = ProcessHandle.current().parent();
            long deadline = System.nanoTime() + lifetime.toNanos();
            while (!stop.await(1, TimeUnit.SECONDS)) {
                if (parent.isPresent() && !parent.get().isAlive()) {
                    System.out.println("parent process gone: stopping the stack");
                    break;
                }
                if (!gateway.isAlive()) {
                    System.out.println("the gateway exited: stopping the stack");
                    break;
                }
                if (System.nanoTime() > deadline) {
                    System.out.println("lifetime of " + lifetime + " reached: stopping the stack");
                    break;
                }
            }
            System.exit(0);
        } catch (RuntimeException | Error e) {
            e.printStackTrace();
            Files.writeString(dir.resolve("stack.failed"), String.valueOf(e), StandardCharsets.UTF_8);
            if (gateway != null) {
                gateway.close();
            }
            if (emulator != null) {
                emulator.close();
            }
            System.exit(1);
        }
    }

    /**
     * One request through the gateway must succeed: the gateway may have tried the IdP's JWKS before the IdP
     * listened, and then waits out its refetch interval.
     */
    private static void awaitEndToEnd(ManagedProcess gateway, String gatewayUrl, EmulatorAdmin org, Duration timeout)
            throws InterruptedException {
        String token = org.mint("stack-probe", Duration.ofMinutes(10));
        long deadline = System.nanoTime() + timeout.toNanos();
        int status = 0;
        while (System.nanoTime() < deadline && gateway.isAlive()) {
            status = Http.get(gatewayUrl + "/services/data/v62.0/limits", Map.of("Authorization", "Bearer " + token),
                    Duration.ofSeconds(10)).status();
            if (status == 200) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("a request through the gateway still answers " + status + " after "
                + timeout.toSeconds() + " s");
    }

    /** Waits for a live stack written by {@code run}; 0 when it answers, 1 otherwise. */
    private static int await(Path dir, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Path file = dir.resolve(StackInfo.FILE);
        while (System.nanoTime() < deadline) {
            if (Files.exists(dir.resolve("stack.failed"))) {
                System.err.println("the stack failed to start: " + Files.readString(dir.resolve("stack.failed")));
                printLogs(dir);
                return 1;
            }
            if (Files.exists(file)) {
                StackInfo stack = StackInfo.load(file);
                boolean live = ProcessHandle.of(stack.launcherPid()).map(ProcessHandle::isAlive).orElse(false);
                if (live && Http.ok(stack.managementUrl() + "/actuator/health/readiness")
                        && Http.ok(stack.emulatorUrl() + "/__admin/idp")) {
                    System.out.println("stack up: gateway " + stack.gatewayUrl() + ", emulator "
                            + stack.emulatorUrl() + " (mode " + stack.mode() + ")");
                    return 0;
                }
            }
            Thread.sleep(200);
        }
        System.err.println("the stack did not come up within " + timeout.toSeconds() + " s");
        printLogs(dir);
        return 1;
    }

    private static void printLogs(Path dir) throws IOException {
        for (String name : List.of("launcher.log", "gateway.log")) {
            Path log = dir.resolve(name);
            if (Files.exists(log)) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                System.err.println("--- last lines of " + log);
                lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(System.err::println);
            }
        }
    }

    private static Map<String, String> options(String[] argv) {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < argv.length; i++) {
            String arg = argv[i];
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("expected --name=value, got " + arg);
            }
            options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        return options;
    }
}
