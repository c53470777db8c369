package io.sfgateway.loadtests.support;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * Where the stack under test runs: written by {@code StackMain run} to {@code stack.properties}, read by the
 * simulations from the file named by {@code -Dloadtest.stack}.
 */
public record StackInfo(String mode, long launcherPid, String gatewayUrl, String emulatorUrl, String issuer,
        String jwksUri, Duration exchangeTimeout, Duration breakerWait, String managementUrl) {

    public static final String FILE = "stack.properties";

    public static StackInfo load(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file + ": " + e.getMessage(), e);
        }
        return new StackInfo(p.getProperty("mode", "smoke"), Long.parseLong(p.getProperty("launcher.pid", "-1")),
                p.getProperty("gateway.url"), p.getProperty("emulator.url"), p.getProperty("idp.issuer"),
                p.getProperty("idp.jwks"), Duration.ofMillis(Long.parseLong(p.getProperty("exchange.timeout.ms"))),
                Duration.ofMillis(Long.parseLong(p.getProperty("breaker.wait.ms"))),
                p.getProperty("gateway.management.url"));
    }

    /** The stack named by {@code -Dloadtest.stack} (default {@code target/stack/stack.properties}). */
    public static StackInfo fromSystemProperty() {
        Path file = Path.of(System.getProperty("loadtest.stack", "target/stack/" + FILE));
        if (!Files.exists(file)) {
            throw new IllegalStateException(file.toAbsolutePath() + " does not exist: start the stack first"
                    + " (see load-tests/README.md)");
        }
        return load(file);
    }

    public boolean smoke() {
        return !"full".equals(mode);
    }

    public EmulatorAdmin admin() {
        return new EmulatorAdmin(emulatorUrl);
    }
}
