package io.sfgateway.loadtests.bench;

import static io.sfgateway.loadtests.bench.BenchLog.log;
import static io.sfgateway.loadtests.support.GatewayArgs.LIMITS;
import static io.sfgateway.loadtests.support.HostStats.cpuSeconds;

import io.sfgateway.loadtests.support.Stack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The warm path as the contract measures it: the limit and another gateway (ours, or shared replica A) loaded at
 * the same time, each by its own wrk with half the connections and the same requests (IdP tokens of subjects whose
 * sessions are cached; the limit's route replaces them with its static session): each one's throughput and
 * latency, and its CPU time ({@code /proc}) over the same window divided by the requests its wrk completed.
 *
 * <p>Why at once rather than one after the other: on two shared virtual cores the machine's own speed moves between
 * runs a minute apart (in one run the floor's rps went from 49,000 to 69,000 between rounds and the limit's CPU per
 * request from 135 to 232 µs); loaded at once, both gateways meet the same machine at the same moments.
 */
final class SideBySideStage {

    /** One run: each wrk's result and each gateway's CPU microseconds per request it completed. */
    record Pair(String other, Wrk.Result limit, Wrk.Result result, double limitCpuUs, double cpuUs) {

        double cpuRatio() {
            return cpuUs / limitCpuUs;
        }

        double rpsRatio() {
            return result.rps() / limit.rps();
        }

        double p99Delta() {
            return result.p99() - limit.p99();
        }
    }

    private final BenchTargets targets;
    private final Wrk wrk;
    private final BenchMode mode;
    private final Runs runs;

    SideBySideStage(BenchTargets targets, Wrk wrk, BenchMode mode, Runs runs) {
        this.targets = targets;
        this.wrk = wrk;
        this.mode = mode;
        this.runs = runs;
    }

    Pair run(int round, String name, Stack.Gateway other, Path tokens) {
        int connections = Math.max(1, mode.connections() / 2);
        Duration duration = mode.throughput();
        String label = "r" + round + "-side-" + name;
        long limitPid = targets.limit.process().pid();
        long otherPid = other.process().pid();
        double limitBefore = cpuSeconds(limitPid);
        double otherBefore = cpuSeconds(otherPid);
        CompletableFuture<Wrk.Result> limit = CompletableFuture.supplyAsync(() -> wrk.run(label + "-limit",
                targets.limit.url(), LIMITS, tokens, "cycle", "get", connections, duration));
        Wrk.Result result = wrk.run(label, other.url(), LIMITS, tokens, "cycle", "get", connections, duration);
        Wrk.Result limitResult = limit.join();
        Pair pair = new Pair(name, limitResult, result,
                (cpuSeconds(limitPid) - limitBefore) * 1e6 / Math.max(1, limitResult.requests()),
                (cpuSeconds(otherPid) - otherBefore) * 1e6 / Math.max(1, result.requests()));
        runs.record("side-by-side-" + name, round, "limit", limitResult);
        runs.record("side-by-side-" + name, round, name, result);
        log("round %d, limit and %s at once: limit %.0f rps, p99 %.2f ms, %.1f us CPU per request; %s %.0f rps, p99"
                + " %.2f ms, %.1f us (CPU x%.3f, rps x%.3f)", round, name, limitResult.rps(), limitResult.p99(),
                pair.limitCpuUs(), name, result.rps(), result.p99(), pair.cpuUs(), pair.cpuRatio(), pair.rpsRatio());
        return pair;
    }
}
