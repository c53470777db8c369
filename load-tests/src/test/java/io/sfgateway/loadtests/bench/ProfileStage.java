package io.sfgateway.loadtests.bench;

import static io.sfgateway.loadtests.bench.BenchLog.log;
import static io.sfgateway.loadtests.support.GatewayArgs.LIMITS;

import io.sfgateway.loadtests.support.Jcmd;
import io.sfgateway.loadtests.support.Stack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code --explore}'s profiles, after the rounds: ours warm, limit and ours cold (8 connections) each under load,
 * recorded with JFR ({@code settings=profile}; {@code jfr summary} beside each recording; read the hot methods with
 * {@code jfr print --events jdk.ExecutionSample} or JDK Mission Control), or with async-profiler as collapsed stacks
 * for flame graphs when {@code --async-profiler=<libasyncProfiler.so>} is given.
 */
final class ProfileStage {

    private final BenchTargets targets;
    private final Wrk wrk;
    private final BenchMode mode;
    private final BenchTokens tokens;
    private final BenchOptions options;

    ProfileStage(BenchTargets targets, Wrk wrk, BenchMode mode, BenchTokens tokens, BenchOptions options) {
        this.targets = targets;
        this.wrk = wrk;
        this.mode = mode;
        this.tokens = tokens;
        this.options = options;
    }

    /** The files written, by profile. */
    Map<String, Object> run() throws IOException {
        Duration d = Duration.ofSeconds(options.profileSeconds);
        Map<String, Object> files = new LinkedHashMap<>();
        files.put("ours_warm", profile(targets.ours, "ours-warm", tokens.oursWarm(), "cycle", mode.connections()));
        files.put("limit", profile(targets.limit, "limit", tokens.oursWarm(), "cycle", mode.connections()));
        // Each request a new subject: about 150 exchanges a second at 8 connections with 50 ms token latency.
        Path cold = BenchTokens.write(options.out.resolve("tokens"), "cold-profile.txt", targets.admin().mintAll(
                BenchTokens.subjects("ours-coldprofile-", (int) (d.toMillis() / 5) + 100), Duration.ofHours(1)));
        targets.admin().latency(mode.tokenLatencyMs(), 0);
        try {
            files.put("ours_cold", profile(targets.ours, "ours-cold", cold, "once", 8));
        } finally {
            targets.admin().latency(0, 0);
        }
        return files;
    }

    private String profile(Stack.Gateway gateway, String name, Path load, String use, int connections)
            throws IOException {
        long pid = gateway.process().pid();
        Duration d = Duration.ofSeconds(options.profileSeconds);
        if (options.asyncProfiler != null) {
            Path collapsed = options.out.resolve("prof-" + name + ".collapsed").toAbsolutePath();
            // (jcmd reads a bare "key=value" argument as a named option: the agent's options go in quotes.)
            Jcmd.run(pid, "JVMTI.agent_load", options.asyncProfiler, "\"start,event=cpu,interval=1ms\"");
            wrk.run("profile-" + name, gateway.url(), LIMITS, load, use, "get", connections, d);
            Jcmd.run(pid, "JVMTI.agent_load", options.asyncProfiler, "\"stop,collapsed,file=" + collapsed + "\"");
            log("profile %s: %s", name, collapsed);
            return collapsed.getFileName().toString();
        }
        Path recording = options.out.resolve("jfr-" + name + ".jfr").toAbsolutePath();
        Jcmd.run(pid, "JFR.start", "name=bench", "settings=profile", "filename=" + recording);
        wrk.run("profile-" + name, gateway.url(), LIMITS, load, use, "get", connections, d);
        Jcmd.run(pid, "JFR.stop", "name=bench");
        Path summary = options.out.resolve("jfr-" + name + ".txt");
        Files.writeString(summary, jfrSummary(recording), StandardCharsets.UTF_8);
        log("profile %s: %s (jfr summary in %s)", name, recording, summary.getFileName());
        return recording.getFileName().toString();
    }

    /** {@code jfr summary <recording>}: the JDK's own tool, its output as text. */
    private static String jfrSummary(Path recording) throws IOException {
        Path jfr = Path.of(System.getProperty("java.home"), "bin", "jfr");
        Process process = new ProcessBuilder(List.of(jfr.toString(), "summary", recording.toString()))
                .redirectErrorStream(true).start();
        String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            process.waitFor(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return text;
    }
}
