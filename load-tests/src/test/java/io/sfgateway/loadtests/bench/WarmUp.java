package io.sfgateway.loadtests.bench;

import static io.sfgateway.loadtests.bench.BenchLog.log;
import static io.sfgateway.loadtests.bench.BenchStack.LIMITS;
import static io.sfgateway.loadtests.bench.BenchStack.TOKEN_PATH;
import static io.sfgateway.loadtests.support.HostStats.compilerCpuSeconds;

import io.sfgateway.loadtests.support.Http;
import io.sfgateway.loadtests.support.Jcmd;
import io.sfgateway.loadtests.support.ManagedProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Before the rounds: every target answers, ours is primed (one exchange per warm subject), each gateway runs under
 * load until its JIT has settled (full mode), and ours' cold path runs a few thousand new subjects, which also
 * yields the live heap per subject on the running gateway (class histograms before and after).
 */
final class WarmUp {

    private final BenchStack stack;
    private final Wrk wrk;
    private final BenchMode mode;
    private final BenchTokens tokens;
    /** Per gateway: how many warm-up slices its JIT needed to settle (see {@link #settle}). */
    final Map<String, Object> jitSettle = new LinkedHashMap<>();
    /** Live heap per new subject on the running gateway, with the classes that grew most (empty: not measured). */
    Map<String, Object> liveHeap = Map.of();

    WarmUp(BenchStack stack, Wrk wrk, BenchMode mode, BenchTokens tokens) {
        this.stack = stack;
        this.wrk = wrk;
        this.mode = mode;
        this.tokens = tokens;
    }

    void primeAndCheck() throws IOException {
        expect200("floor", stack.orgUrl + LIMITS, Files.readAllLines(tokens.static_()).get(0));
        expect200("limit", stack.limitUrl + LIMITS, "not-used-the-route-sets-the-header");
        expect200("peer", stack.peerUrl + LIMITS, Files.readAllLines(tokens.peerWarm()).get(0));
        prime("ours", stack.oursUrl, tokens.oursWarmList(), "ours-warm-");
    }

    /** One first request per subject through {@code url}; fails unless every one is answered 200. */
    void prime(String name, String url, List<String> subjectTokens, String prefix) {
        long t0 = System.nanoTime();
        List<Integer> statuses = ParallelGets.run(url + LIMITS, subjectTokens, 16, Duration.ofSeconds(30));
        long bad = statuses.stream().filter(s -> s != 200).count();
        if (bad > 0) {
            throw new IllegalStateException(bad + " of " + statuses.size() + " priming requests to " + name
                    + " failed");
        }
        log("primed %s: %d subjects, %d exchanges, %.1f s", name, statuses.size(),
                stack.org.counters().exchangesWithPrefix(prefix), (System.nanoTime() - t0) / 1e9);
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
        wrk.run("warmup-floor", stack.orgUrl, LIMITS, tokens.static_(), "cycle", "get", c, d);
        wrk.run("warmup-limit", stack.limitUrl, LIMITS, tokens.oursWarm(), "cycle", "get", c, d);
        wrk.run("warmup-ours", stack.oursUrl, LIMITS, tokens.oursWarm(), "cycle", "get", c, d);
        wrk.run("warmup-peer", stack.peerUrl, LIMITS, tokens.peerWarm(), "cycle", "get", c, d);
        // The cold path (validate, exchange, parse, cache, forward) runs once per new subject: give the JIT a few
        // thousand of them, as a gateway with steady churn sees, before measuring it.
        if (!tokens.coldWarmup().isEmpty()) {
            coldWarmUp();
        }
        // A fixed warm-up leaves the JIT compiling for minutes on 2 shared cores (a profile after 15 s showed the C2
        // thread taking a fifth of the gateway's CPU, and the target warmed least looking twice as expensive): go on
        // until each gateway's compiler threads are quiet, so rounds compare compiled code with compiled code.
        settle("limit", stack.limit, stack.limitUrl, tokens.oursWarm());
        settle("ours", stack.ours, stack.oursUrl, tokens.oursWarm());
        settle("peer", stack.peer, stack.peerUrl, tokens.peerWarm());
        log("warm-up done in %.1f s", (System.nanoTime() - t0) / 1e9);
    }

    private void coldWarmUp() {
        // Cross-check of the heap harness on the running gateway: live heap (GC.class_histogram, after a full GC)
        // before and after these new subjects, per subject: everything the gateway keeps for one.
        Jcmd.ClassHistogram before = Jcmd.classHistogram(stack.ours.pid());
        long t1 = System.nanoTime();
        // In slices of 2,000 new subjects, until the JIT compiler threads are quiet during one (the cold path has its
        // own code: JWT verification, the exchange client, parsing, the audit line) or the tokens run out.
        List<Integer> cold = new ArrayList<>();
        List<String> all = tokens.coldWarmup();
        double compiling = Double.NaN;
        int slices = 0;
        for (int from = 0; from < all.size(); from += 2000) {
            double cpuBefore = compilerCpuSeconds(stack.ours.pid());
            long sliceStart = System.nanoTime();
            cold.addAll(ParallelGets.run(stack.oursUrl + LIMITS, all.subList(from, Math.min(all.size(), from + 2000)),
                    8, Duration.ofSeconds(30)));
            compiling = (compilerCpuSeconds(stack.ours.pid()) - cpuBefore) / ((System.nanoTime() - sliceStart) / 1e9);
            slices++;
            if (compiling < 0.03) {
                break;
            }
        }
        jitSettle.put("ours_cold", Map.of("subjects", cold.size(),
                "compiler_core_share_last", Math.round(compiling * 1000) / 1000.0));
        log("cold-path warm-up: %d new subjects in %.1f s, %d slice(s), compiler threads at %.1f %% of a core in"
                + " the last (%d not 200)", cold.size(), (System.nanoTime() - t1) / 1e9, slices, compiling * 100,
                cold.stream().filter(x -> x != 200).count());
        liveHeap = liveHeapPerSubject(before, Jcmd.classHistogram(stack.ours.pid()), cold.size());
        log("live gateway heap per new subject: %s", liveHeap);
        stack.org.latency(mode.tokenLatencyMs(), 0);
        wrk.run("warmup-rtt", stack.orgUrl, TOKEN_PATH, tokens.rtt(), "cycle", "exchange", 1, mode.latency());
        wrk.run("warmup-peer-c1", stack.peerUrl, LIMITS, tokens.peerWarm(), "cycle", "get", 1, mode.latency());
        stack.org.latency(0, 0);
    }

    /** Warm-up slices under load until the gateway's JIT compiler threads use under 3 % of a core, or the cap. */
    void settle(String name, ManagedProcess gateway, String url, Path warmTokens) {
        if (!mode.isFull()) {
            return; // --quick checks that everything works in under 3 minutes; its figures are not the reference
        }
        Duration slice = Duration.ofSeconds(5);
        int maxSlices = 36;
        double compiling = Double.NaN;
        int n = 0;
        while (n < maxSlices) {
            n++;
            double before = compilerCpuSeconds(gateway.pid());
            long start = System.nanoTime();
            wrk.run("settle-" + name + "-" + n, url, LIMITS, warmTokens, "cycle", "get", mode.connections(), slice);
            compiling = (compilerCpuSeconds(gateway.pid()) - before) / ((System.nanoTime() - start) / 1e9);
            if (compiling < 0.03) {
                break;
            }
        }
        log("%s: JIT %s after %d more slice(s) of %d s (compiler threads at %.1f %% of a core in the last)", name,
                compiling < 0.03 ? "settled" : "still compiling", n, slice.toSeconds(), compiling * 100);
        jitSettle.put(name, Map.of("slices", n, "compiler_core_share_last", Math.round(compiling * 1000) / 1000.0));
    }

    private static Map<String, Object> liveHeapPerSubject(Jcmd.ClassHistogram before, Jcmd.ClassHistogram after,
            int subjects) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("subjects", subjects);
        result.put("bytes_per_subject", Stats.round((after.bytes() - before.bytes()) / (double) subjects, 1));
        Map<String, Double> grew = new LinkedHashMap<>();
        after.classes().entrySet().stream().filter(e -> !e.getKey().equals("Total"))
                .map(e -> Map.entry(e.getKey(), e.getValue()[1]
                        - before.classes().getOrDefault(e.getKey(), new long[2])[1]))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(14)
                .forEach(e -> grew.put(e.getKey(), Stats.round(e.getValue() / (double) subjects, 1)));
        result.put("top_classes_bytes_per_subject", grew);
        return result;
    }
}
