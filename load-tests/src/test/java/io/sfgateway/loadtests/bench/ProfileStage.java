package io.sfgateway.loadtests.bench;

import static io.sfgateway.loadtests.bench.BenchLog.log;
import static io.sfgateway.loadtests.bench.BenchStack.LIMITS;

import io.sfgateway.loadtests.support.Jcmd;
import io.sfgateway.loadtests.support.ManagedProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code --jfr}: JFR (or async-profiler with {@code --async-profiler=<lib>}) on ours and on limit under the same warm
 * load, one after the other and (async-profiler only) both at once, and on ours with cold subjects (8 connections,
 * then one).
 */
final class ProfileStage {

    private final BenchStack stack;
    private final Wrk wrk;
    private final BenchMode mode;
    private final BenchTokens tokens;
    private final Path out;
    private final Map<String, String> opts;

    ProfileStage(BenchStack stack, Wrk wrk, BenchMode mode, BenchTokens tokens, Path out, Map<String, String> opts) {
        this.stack = stack;
        this.wrk = wrk;
        this.mode = mode;
        this.tokens = tokens;
        this.out = out;
        this.opts = opts;
    }

    Map<String, Object> run() throws IOException {
        Map<String, Object> reports = new LinkedHashMap<>();
        Duration d = Duration.ofSeconds(Long.parseLong(opts.getOrDefault("jfr-seconds", "20")));
        reports.put("ours_warm", profile(stack.ours, "ours-warm", () -> wrk.run("jfr-ours-warm", stack.oursUrl, LIMITS,
                tokens.oursWarm(), "cycle", "get", mode.connections(), d)));
        reports.put("limit", profile(stack.limit, "limit", () -> wrk.run("jfr-limit", stack.limitUrl, LIMITS,
                tokens.oursWarm(), "cycle", "get", mode.connections(), d)));
        if (opts.containsKey("async-profiler")) {
            reports.put("side_by_side", profileSideBySide(d));
        }
        Path dir = out.resolve("tokens");
        Path coldTokens = BenchTokens.write(dir, "cold-jfr.txt", stack.org.mintAll(
                BenchTokens.subjects("ours-coldjfr-", (int) (d.toMillis() / 5) + 100), Duration.ofHours(1)));
        stack.org.latency(mode.tokenLatencyMs(), 0);
        try {
            // 8 connections, each request a new subject: about 150 exchanges a second with 50 ms token latency.
            reports.put("ours_cold", profile(stack.ours, "ours-cold", () -> wrk.run("jfr-ours-cold", stack.oursUrl,
                    LIMITS, coldTokens, "once", "get", 8, d)));
            // One connection, as the cold-overhead figure is measured: where a lone cold request's time goes.
            Path coldC1Tokens = BenchTokens.write(dir, "cold-c1-jfr.txt", stack.org.mintAll(
                    BenchTokens.subjects("ours-coldc1jfr-", (int) (d.toMillis() / 40) + 40), Duration.ofHours(1)));
            reports.put("ours_cold_c1", profile(stack.ours, "ours-cold-c1", () -> wrk.run("jfr-ours-cold-c1",
                    stack.oursUrl, LIMITS, coldC1Tokens, "once", "get", 1, d)));
        } finally {
            stack.org.latency(0, 0);
        }
        return reports;
    }

    /**
     * Ours and limit profiled at the same time while both are loaded at once (as {@link SideBySideStage} loads
     * them): two profiles taken one after the other also differ by whatever the machine did in between, which on two
     * shared virtual cores is as large as the difference sought.
     */
    private String profileSideBySide(Duration d) {
        String asyncProfiler = opts.get("async-profiler");
        Path oursStacks = out.resolve("prof-side-ours.collapsed").toAbsolutePath();
        Path limitStacks = out.resolve("prof-side-limit.collapsed").toAbsolutePath();
        int connections = Math.max(1, mode.connections() / 2);
        Jcmd.run(stack.ours.pid(), "JVMTI.agent_load", asyncProfiler, "\"start,event=cpu,interval=1ms\"");
        Jcmd.run(stack.limit.pid(), "JVMTI.agent_load", asyncProfiler, "\"start,event=cpu,interval=1ms\"");
        SideBySideStage.Both both = SideBySideStage.loadBoth(stack, wrk, "prof-side", tokens.oursWarm(), connections,
                d);
        Wrk.Result limit = both.limit();
        Wrk.Result ours = both.ours();
        Jcmd.run(stack.ours.pid(), "JVMTI.agent_load", asyncProfiler, "\"stop,collapsed,file=" + oursStacks + "\"");
        Jcmd.run(stack.limit.pid(), "JVMTI.agent_load", asyncProfiler, "\"stop,collapsed,file=" + limitStacks + "\"");
        String report = String.format("side by side: ours %d requests (%.0f rps), limit %d requests (%.0f rps); stacks"
                + " in %s and %s%n", ours.requests(), ours.rps(), limit.requests(), limit.rps(), oursStacks.getFileName(),
                limitStacks.getFileName());
        log("profile %s", report);
        return report;
    }

    private String profile(ManagedProcess target, String name, Supplier<Wrk.Result> load) throws IOException {
        String asyncProfiler = opts.get("async-profiler");
        if (asyncProfiler != null) {
            // async-profiler (its libasyncProfiler.so, e.g. from Maven Central's tools.profiler:async-profiler jar):
            // CPU samples of every thread, Java and native frames, written as collapsed stacks for flame graphs.
            Path collapsed = out.resolve("prof-" + name + ".collapsed").toAbsolutePath();
            // (jcmd reads a bare "key=value" argument as a named option: the agent's options go in quotes.)
            Jcmd.run(target.pid(), "JVMTI.agent_load", asyncProfiler, "\"start,event=cpu,interval=1ms\"");
            Wrk.Result result = load.get();
            Jcmd.run(target.pid(), "JVMTI.agent_load", asyncProfiler, "\"stop,collapsed,file=" + collapsed + "\"");
            String report = String.format("load: %s, %.0f rps, p50 %.2f ms, p99 %.2f ms; stacks in %s%n",
                    result.label(), result.rps(), result.p50(), result.p99(), collapsed.getFileName());
            log("profile %s: %s", name, report);
            return report;
        }
        Path recording = out.resolve("jfr-" + name + ".jfr").toAbsolutePath();
        Jcmd.run(target.pid(), "JFR.start", "name=bench", "settings=profile", "filename=" + recording);
        Wrk.Result result = load.get();
        Jcmd.run(target.pid(), "JFR.stop", "name=bench");
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        try (PrintStream print = new PrintStream(text, true, StandardCharsets.UTF_8)) {
            print.printf("load: %s, %.0f rps, p50 %.2f ms, p99 %.2f ms%n", result.label(), result.rps(), result.p50(),
                    result.p99());
            JfrTop.report(recording, "io.sfgateway.tokenexchange", 20, print);
        }
        String report = text.toString(StandardCharsets.UTF_8);
        Files.writeString(out.resolve("jfr-" + name + ".txt"), report, StandardCharsets.UTF_8);
        log("JFR %s:%n%s", name, report);
        return report;
    }
}
