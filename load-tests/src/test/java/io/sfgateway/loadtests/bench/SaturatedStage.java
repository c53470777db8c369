package io.sfgateway.loadtests.bench;

import static io.sfgateway.loadtests.bench.BenchStack.LIMITS;
import static io.sfgateway.loadtests.support.HostStats.cpuSeconds;
import static io.sfgateway.loadtests.support.HostStats.machineBusySeconds;

import io.sfgateway.loadtests.support.EmulatorAdmin;
import io.sfgateway.loadtests.support.ManagedProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One round's saturated runs (wrk, closed loop, {@code connections} connections): floor, limit, ours warm, peer, and
 * the shared-store gateway when it runs, in alternating order. Around each run, the CPU time of the gateway (from
 * {@code /proc/<pid>/stat}), of the org and of the machine: cores used, and the gateway's CPU time per request
 * completed in the same window.
 */
final class SaturatedStage {

    /** A way to reach the org: its traffic URL, its tokens, its process (null for the floor). */
    record Target(String name, String label, String url, Path tokens, ManagedProcess process) {
    }

    /**
     * One round's saturated results.
     *
     * @param cores per target {gateway, org, machine} cores used during its run
     * @param cpuPerRequestUs per gateway target: its CPU microseconds per request completed
     */
    record Result(Map<String, Wrk.Result> load, Map<String, double[]> cores, Map<String, Double> cpuPerRequestUs,
            double peerExchanges, double peerRestCalls, long oursWarmExchanges) {
    }

    private final BenchStack stack;
    private final Wrk wrk;
    private final BenchMode mode;
    private final Runs runs;
    private final List<Target> targets;

    SaturatedStage(BenchStack stack, Wrk wrk, BenchMode mode, Runs runs, List<Target> targets) {
        this.stack = stack;
        this.wrk = wrk;
        this.mode = mode;
        this.runs = runs;
        this.targets = targets;
    }

    Result run(int round) {
        Map<String, Wrk.Result> load = new LinkedHashMap<>();
        Map<String, double[]> cores = new LinkedHashMap<>();
        Map<String, Double> cpuPerRequest = new LinkedHashMap<>();
        double peerExchanges = 0;
        double peerRestCalls = 0;
        long oursWarmExchanges = 0;
        for (Target target : order(round % 2 == 1, targets)) {
            EmulatorAdmin.Counters before = stack.org.counters();
            double[] cpuBefore = cpu(target.process());
            Wrk.Result result = wrk.run("r" + round + "-" + target.label(), target.url(), LIMITS, target.tokens(),
                    "cycle", "get", mode.connections(), mode.throughput());
            double[] cpuAfter = cpu(target.process());
            double seconds = cpuAfter[3] - cpuBefore[3];
            cores.put(target.name(), new double[] {(cpuAfter[0] - cpuBefore[0]) / seconds,
                (cpuAfter[1] - cpuBefore[1]) / seconds, (cpuAfter[2] - cpuBefore[2]) / seconds});
            if (target.process() != null && result.requests() > 0) {
                cpuPerRequest.put(target.name(), (cpuAfter[0] - cpuBefore[0]) * 1e6 / result.requests());
            }
            EmulatorAdmin.Counters after = stack.org.counters();
            if (target.name().equals("peer")) {
                // Both counted at the org, so requests still in flight when wrk stops count on both sides.
                peerExchanges = after.exchangesWithPrefix("peer-") - before.exchangesWithPrefix("peer-");
                peerRestCalls = after.restCalls() - before.restCalls();
            }
            if (target.name().equals("ours")) {
                oursWarmExchanges = after.exchangesWithPrefix("ours-warm-") - before.exchangesWithPrefix("ours-warm-");
            }
            load.put(target.name(), result);
            runs.record("load", round, target.name(), result);
        }
        return new Result(load, cores, cpuPerRequest, peerExchanges, peerRestCalls, oursWarmExchanges);
    }

    /** CPU seconds so far: {gateway, org, machine busy, wall clock}. */
    private double[] cpu(ManagedProcess gateway) {
        return new double[] {gateway == null ? 0 : cpuSeconds(gateway.pid()), cpuSeconds(stack.emulator.pid()),
            machineBusySeconds(), System.nanoTime() / 1e9};
    }

    static <T> List<T> order(boolean forward, List<T> items) {
        List<T> list = new ArrayList<>(items);
        if (!forward) {
            Collections.reverse(list);
        }
        return list;
    }
}
