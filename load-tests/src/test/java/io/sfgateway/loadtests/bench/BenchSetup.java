package io.sfgateway.loadtests.bench;

import io.sfgateway.loadtests.support.ManagedProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** summary.json's {@code setup}: the command, the mode's sizes, the load generators, the JVMs and the machine. */
final class BenchSetup {

    private BenchSetup() {
    }

    static Map<String, Object> describe(BenchMode mode, BenchOptions options, long wallSeconds) {
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("mode", mode.name());
        setup.put("smoke_not_measurement", !mode.isFull());
        setup.put("command", options.command == null ? "load-tests/bench.sh --" + mode.name() : options.command);
        setup.put("explore", options.explore);
        setup.put("finished", Instant.now().toString());
        setup.put("wall_seconds", wallSeconds);
        setup.put("rounds", mode.rounds());
        setup.put("throughput_seconds", mode.throughput().toSeconds());
        setup.put("latency_seconds", mode.latency().toSeconds());
        setup.put("fixed_rate_seconds", mode.fixedRate().toSeconds());
        setup.put("warmup_seconds", mode.warmup().toSeconds());
        setup.put("connections", mode.connections());
        setup.put("warm_subjects", mode.subjects());
        setup.put("burst_users", mode.burstUsers());
        setup.put("shared_l2_subjects", options.shared() ? mode.sharedSubjects() : 0);
        setup.put("shared_burst", options.shared() ? mode.sharedBurstSubjects() + " subjects x " + 3
                * mode.sharedBurstPerReplica() + " first requests at once over 3 replicas" : "none");
        setup.put("load_generator", "wrk -t1 (closed loop), one bearer token per request from a file (wrk-tokens.lua)");
        setup.put("fixed_rate_load_generator", "open model at " + FixedRateStage.RATE_SHARE + " x the round's limit"
                + " rps (twice its rps loaded at once with ours), Reactor Netty HttpClient (one event loop, at most " + FixedRateLoad.CONNECTIONS
                + " keep-alive connections) paced by one thread, latency from the due time (HdrHistogram,"
                + " microseconds)");
        setup.put("jvm", mode.jvm());
        setup.put("machine", machine());
        return setup;
    }

    private static Map<String, String> machine() {
        Map<String, String> machine = new LinkedHashMap<>();
        machine.put("nproc", shell("nproc"));
        machine.put("free_h", shell("free -h"));
        machine.put("java_version", shell(ManagedProcess.javaExecutable() + " -version 2>&1"));
        machine.put("cpu", shell("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"));
        machine.put("kernel", shell("uname -sr"));
        machine.put("wrk", shell("wrk --version 2>&1 | head -1"));
        return machine;
    }

    private static String shell(String command) {
        try {
            Process process = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            process.waitFor(10, TimeUnit.SECONDS);
            return text;
        } catch (IOException e) {
            return "n/a";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "n/a";
        }
    }
}
