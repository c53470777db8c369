package io.sfgateway.loadtests.bench;

import static io.sfgateway.loadtests.bench.BenchLog.log;
import static io.sfgateway.loadtests.support.GatewayArgs.LIMITS;
import static io.sfgateway.loadtests.support.GatewayArgs.TOKEN_PATH;
import static io.sfgateway.loadtests.support.HostStats.compilerCpuSeconds;

import io.sfgateway.loadtests.support.Http;
import io.sfgateway.loadtests.support.Stack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Before the rounds: every target answers, ours is primed (one exchange per warm subject), each gateway runs under
 * load, ours' cold path runs a few thousand new subjects, and (full mode) each gateway goes on until its JIT has
 * settled: a fixed warm-up left C2 compiling for minutes on 2 shared cores, and the gateway warmed least looked up
 * to twice as expensive. Last, the driver's own fixed-rate client runs once against limit and ours, unmeasured.
 */
final class WarmUp {

    /** Compiler threads below this share of a core during a slice: the JIT has settled. */
    private static final double SETTLED = 0.03;
    /** Requests a second of the fixed-rate client's warm-up: about a quarter of a gateway's throughput here. */
    private static final double WARM_FIXED_RATE = 1000;

    private final BenchTargets targets;
    private final Wrk wrk;
    private final BenchMode mode;
    private final BenchTokens tokens;
    /** Per gateway: how many warm-up slices its JIT needed to settle. */
    final Map<String, Object> jitSettle = new LinkedHashMap<>();

    WarmUp(BenchTargets targets, Wrk wrk, BenchMode mode, BenchTokens tokens) {
        this.targets = targets;
        this.wrk = wrk;
        this.mode = mode;
        this.tokens = tokens;
    }

    void primeAndCheck() throws IOException {
        expect200("floor", targets.org.url() + LIMITS, Files.readAllLines(tokens.static_()).get(0));
        expect200("limit", targets.limit.url() + LIMITS, "not-used-the-route-sets-the-header");
        if (targets.peer != null) {
            expect200("peer", targets.peer.url() + LIMITS, Files.readAllLines(tokens.peerWarm()).get(0));
        }
        prime("ours", targets.ours.url(), tokens.oursWarmList(), "ours-warm-");
    }

    /** One first request per subject through {@code url}; fails unless every one is answered 200. */
    void prime(String name, String url, List<String> subjectTokens, String prefix) {
        List<Integer> statuses = ParallelGets.run(url + LIMITS, subjectTokens, 16, Duration.ofSeconds(30));
        long bad = statuses.stream().filter(s -> s != 200).count();
        if (bad > 0) {
            throw new IllegalStateException(bad + " of " + statuses.size() + " priming requests to " + name
                    + " failed");
        }
        log("primed %s: %d subjects, %d exchanges", name, statuses.size(),
                targets.admin().counters().exchangesWithPrefix(prefix));
    }

    private static void expect200(String what, String url, String token) {
        int status = Http.get(url, Map.of("Authorization", "Bearer " + token), Duration.ofSeconds(30)).status();
        if (status != 200) {
            throw new IllegalStateException(what + ": GET " + url + " answered " + status);
        }
    }

    void run() {
        long t0 = System.nanoTime();
        int c = mode.connections();
        Duration d = mode.warmup();
        wrk.run("warmup-floor", targets.org.url(), LIMITS, tokens.static_(), "cycle", "get", c, d);
        wrk.run("warmup-limit", targets.limit.url(), LIMITS, tokens.oursWarm(), "cycle", "get", c, d);
        wrk.run("warmup-ours", targets.ours.url(), LIMITS, tokens.oursWarm(), "cycle", "get", c, d);
        if (targets.peer != null) {
            wrk.run("warmup-peer", targets.peer.url(), LIMITS, tokens.peerWarm(), "cycle", "get", c, d);
        }
        coldWarmUp();
        settle("limit", targets.limit, tokens.oursWarm());
        settle("ours", targets.ours, tokens.oursWarm());
        if (targets.peer != null) {
            settle("peer", targets.peer, tokens.peerWarm());
        }
        warmFixedRateClient();
        log("warm-up done in %.1f s", (System.nanoTime() - t0) / 1e9);
    }

    /**
     * The cold path (validate, exchange, parse, cache, forward) has code of its own: slices of 2,000 new subjects
     * until the compiler threads are quiet during one, or the tokens run out.
     */
    private void coldWarmUp() {
        List<String> all = tokens.coldWarmup();
        long pid = targets.ours.process().pid();
        double compiling = Double.NaN;
        int subjects = 0;
        for (int from = 0; from < all.size() && !(compiling < SETTLED); from += 2000) {
            List<String> slice = all.subList(from, Math.min(all.size(), from + 2000));
            double before = compilerCpuSeconds(pid);
            long start = System.nanoTime();
            ParallelGets.run(targets.ours.url() + LIMITS, slice, 8, Duration.ofSeconds(30));
            compiling = (compilerCpuSeconds(pid) - before) / ((System.nanoTime() - start) / 1e9);
            subjects += slice.size();
        }
        jitSettle.put("ours_cold", Map.of("subjects", subjects, "compiler_core_share_last",
                Stats.round(compiling, 3)));
        log("cold-path warm-up: %d new subjects, compiler threads at %.1f %% of a core in the last slice", subjects,
                compiling * 100);
        targets.admin().latency(mode.tokenLatencyMs(), 0);
        wrk.run("warmup-rtt", targets.org.url(), TOKEN_PATH, tokens.rtt(), "cycle", "exchange", 1, mode.latency());
        targets.admin().latency(0, 0);
    }

    /**
     * The fixed-rate client ({@link FixedRateLoad}) runs in this JVM, and compiles on its first runs: unwarmed, its
     * CPU per request in round 1 was twice round 2's, and whichever gateway round 1 drove first came out worst (p99
     * of 184–269 ms where the other rounds gave 15–60 ms). One unmeasured run against each gateway, alike.
     */
    private void warmFixedRateClient() {
        for (Stack.Gateway gateway : List.of(targets.limit, targets.ours)) {
            FixedRateLoad.run("warmup-fixed-rate", gateway.url() + LIMITS, tokens.oursWarmList(), WARM_FIXED_RATE,
                    mode.fixedRateWarmIn(), mode.fixedRate());
        }
    }

    /** A gateway beyond the three above (shared replica A): the same warm-up load, then {@link #settle}. */
    void warmAndSettle(String name, Stack.Gateway gateway, Path warmTokens) {
        wrk.run("warmup-" + name, gateway.url(), LIMITS, warmTokens, "cycle", "get", mode.connections(),
                mode.warmup());
        settle(name, gateway, warmTokens);
    }

    /** Full mode: 5-second slices under load until the gateway's compiler threads use under 3 % of a core. */
    void settle(String name, Stack.Gateway gateway, Path warmTokens) {
        if (!mode.isFull()) {
            return; // --quick checks that everything works; its figures are not measurements
        }
        Duration slice = Duration.ofSeconds(5);
        long pid = gateway.process().pid();
        double compiling = Double.NaN;
        int n = 0;
        while (n < 36 && !(compiling < SETTLED)) {
            n++;
            double before = compilerCpuSeconds(pid);
            long start = System.nanoTime();
            wrk.run("settle-" + name + "-" + n, gateway.url(), LIMITS, warmTokens, "cycle", "get", mode.connections(),
                    slice);
            compiling = (compilerCpuSeconds(pid) - before) / ((System.nanoTime() - start) / 1e9);
        }
        log("%s: JIT %s after %d slice(s) of %d s (compiler threads at %.1f %% of a core in the last)", name,
                compiling < SETTLED ? "settled" : "still compiling", n, slice.toSeconds(), compiling * 100);
        jitSettle.put(name, Map.of("slices", n, "compiler_core_share_last", Stats.round(compiling, 3)));
    }
}
