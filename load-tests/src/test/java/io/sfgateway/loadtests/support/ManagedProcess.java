package io.sfgateway.loadtests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * A child process (a JVM: the emulator, a gateway) with its output in a log file. Every one still alive is stopped
 * when this JVM exits, by {@link #close()} or by a shutdown hook: SIGTERM, then SIGKILL after 15 s.
 */
public final class ManagedProcess implements AutoCloseable {

    private static final Set<ManagedProcess> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(LIVE).forEach(ManagedProcess::close),
                "managed-process-reaper"));
    }

    private final String name;
    private final Process process;
    private final Path log;

    private ManagedProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** {@code java <jvmArgs> -jar <jar> <args>}, output to {@code log}. */
    public static ManagedProcess java(String name, List<String> jvmArgs, Path jar, List<String> args, Path log) {
        return java(name, jvmArgs, jar, args, Map.of(), log);
    }

    /** As {@link #java(String, List, Path, List, Path)}, with {@code environment} added to this process's own. */
    public static ManagedProcess java(String name, List<String> jvmArgs, Path jar, List<String> args,
            Map<String, String> environment, Path log) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmArgs);
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        command.addAll(args);
        return start(name, command, environment, log);
    }

    public static ManagedProcess start(String name, List<String> command, Path log) {
        return start(name, command, Map.of(), log);
    }

    public static ManagedProcess start(String name, List<String> command, Map<String, String> environment,
            Path log) {
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            ManagedProcess managed = new ManagedProcess(name, builder.start(), log);
            LIVE.add(managed);
            return managed;
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + name + ": " + e.getMessage(), e);
        }
    }

    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    /** Completes when the process has exited. */
    public java.util.concurrent.CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until {@code url} answers 200; fails if the process dies or the time is up. */
    public void awaitOk(String url, Duration timeout) {
        await(() -> Http.ok(url), timeout, "GET " + url + " = 200");
    }

    /** Waits until the log holds {@code text}; fails if the process dies or the time is up. */
    public void awaitLog(String text, Duration timeout) {
        await(() -> logText().contains(text), timeout, "'" + text + "' in " + log);
    }

    /** Polls {@code condition} (Awaitility) every 100 ms; fails early, with the log's tail, if the process dies. */
    private void await(Callable<Boolean> condition, Duration timeout, String what) {
        try {
            Awaitility.await(name + ": " + what).atMost(timeout).pollInterval(Duration.ofMillis(100))
                    .failFast(name + " exited before " + what, () -> !process.isAlive())
                    .until(condition);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new IllegalStateException(e.getMessage() + "; last output:\n" + tail(40), e);
        }
    }

    public String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** The last {@code lines} lines of the log. */
    public String tail(int lines) {
        String[] all = logText().split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    }

    /** SIGTERM, up to 15 s to exit, then SIGKILL. */
    @Override
    public void close() {
        if (!LIVE.remove(this)) {
            return;
        }
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
