package io.sfgateway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * The production jar ({@code target/gateway-app.jar}) run as its own process, configured by
 * environment variables only, as a container runs it; its output goes to
 * {@code target/gateway-processes/<name>.log}.
 */
final class GatewayProcess {

    private static final HttpClient PROBE = HttpClient.create().responseTimeout(Duration.ofSeconds(5));

    final String name;
    final int port;
    final int managementPort;
    private final Process process;
    private final Path log;

    private GatewayProcess(String name, int port, int managementPort, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.managementPort = managementPort;
        this.process = process;
        this.log = log;
    }

    /** Starts the jar with the environment variables {@code variables} added to this process's own. */
    static GatewayProcess start(String name, Map<String, String> variables) {
        Path jar = Path.of(System.getProperty("production.jar", "target/gateway-app.jar"));
        assertThat(jar).as("the production jar is built before this test runs").isRegularFile();
        int port = EmbeddedRedis.freePort();
        int management = EmbeddedRedis.freePort();
        // Heap, GC and JIT sized for several gateways on two cores; no product setting changes here.
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
        try {
            Path logs = Files.createDirectories(Path.of("target", "gateway-processes"));
            File log = logs.resolve(name + ".log").toFile();
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log);
            builder.environment().putAll(variables);
            builder.environment().put("PORT", Integer.toString(port));
            builder.environment().put("MANAGEMENT_SERVER_PORT", Integer.toString(management));
            return new GatewayProcess(name, port, management, builder.start(), log.toPath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until {@code /actuator/health/readiness} answers 200. */
    GatewayProcess awaitReady() {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            assertThat(process.isAlive()).as("%s is running (see %s)", name, log).isTrue();
            Integer status = PROBE.get().uri("http://127.0.0.1:" + managementPort + "/actuator/health/readiness")
                    .responseSingle((response, body) -> body.then(Mono.just(response.status().code())))
                    .onErrorReturn(-1).block(Duration.ofSeconds(10));
            if (status != null && status == 200) {
                return this;
            }
            assertThat(System.nanoTime()).as("%s ready in time (see %s)", name, log).isLessThan(deadline);
            sleep(200);
        }
    }

    /** Everything the process has written so far. */
    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM: Spring Boot's graceful shutdown lets requests in flight finish. */
    void stop() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
