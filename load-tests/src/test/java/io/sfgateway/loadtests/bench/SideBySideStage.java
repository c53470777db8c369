package io.sfgateway.loadtests.bench;

import static io.sfgateway.loadtests.bench.BenchLog.log;
import static io.sfgateway.loadtests.bench.BenchStack.LIMITS;
import static io.sfgateway.loadtests.support.HostStats.cpuSeconds;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One round's side-by-side run: limit and ours warm loaded at the same time, each by its own wrk with half the
 * connections and the same requests (ours' warm subjects' IdP tokens), and each gateway's CPU time ({@code /proc})
 * over the same window divided by the requests its wrk completed.
 *
 * <p>Why beside the saturated runs: those take the targets one after another, and on two shared virtual cores the
 * machine's own speed moves between them (in one run the floor's rps went from 49,000 to 69,000 between rounds and
 * the limit's CPU per request from 135 to 232 µs), so the ratio of two runs a minute apart carries that drift. Here
 * both gateways meet the same machine at the same moments, and the ratio is left with what they do per request.
 */
final class SideBySideStage {

    /** One side-by-side run: each wrk's result and each gateway's CPU microseconds per request it completed. */
    record Result(Wrk.Result limit, Wrk.Result ours, double limitCpuUs, double oursCpuUs) {

        double cpuRatio() {
            return oursCpuUs / limitCpuUs;
        }

        double rpsRatio() {
            return ours.rps() / limit.rps();
        }
    }

    private final BenchStack stack;
    private final Wrk wrk;
    private final BenchMode mode;
    private final Runs runs;
    private final Path tokens;

    SideBySideStage(BenchStack stack, Wrk wrk, BenchMode mode, Runs runs, Path oursWarmTokens) {
        this.stack = stack;
        this.wrk = wrk;
        this.mode = mode;
        this.runs = runs;
        this.tokens = oursWarmTokens;
    }

    /** What each wrk counted while limit and ours were loaded at the same time. */
    record Both(Wrk.Result limit, Wrk.Result ours) {
    }

    /** Limit and ours loaded at the same time, each by its own wrk. */
    static Both loadBoth(BenchStack stack, Wrk wrk, String label, Path tokens, int connections,
            Duration duration) {
        CompletableFuture<Wrk.Result> limit = CompletableFuture.supplyAsync(() -> wrk.run(label + "-limit",
                stack.limitUrl, LIMITS, tokens, "cycle", "get", connections, duration));
        Wrk.Result ours = wrk.run(label + "-ours", stack.oursUrl, LIMITS, tokens, "cycle", "get", connections,
                duration);
        return new Both(limit.join(), ours);
    }

    Result run(int round) {
        int connections = Math.max(1, mode.connections() / 2);
        // The smoke run keeps under its 3 minutes with 1-second runs; the full run takes the saturated runs' length.
        Duration duration = mode.isFull() ? mode.throughput() : Duration.ofSeconds(1);
        double limitBefore = cpuSeconds(stack.limit.pid());
        double oursBefore = cpuSeconds(stack.ours.pid());
        Both both = loadBoth(stack, wrk, "r" + round + "-side", tokens, connections, duration);
        Wrk.Result limit = both.limit();
        Wrk.Result ours = both.ours();
        double limitCpuUs = (cpuSeconds(stack.limit.pid()) - limitBefore) * 1e6 / Math.max(1, limit.requests());
        double oursCpuUs = (cpuSeconds(stack.ours.pid()) - oursBefore) * 1e6 / Math.max(1, ours.requests());
        runs.record("side-by-side", round, "limit", limit);
        runs.record("side-by-side", round, "ours", ours);
        Result result = new Result(limit, ours, limitCpuUs, oursCpuUs);
        log("round %d side by side: limit %.0f rps %.1f us CPU per request, ours %.0f rps %.1f us (CPU x%.3f, rps"
                + " x%.3f)", round, limit.rps(), limitCpuUs, ours.rps(), oursCpuUs, result.cpuRatio(),
                result.rpsRatio());
        return result;
    }
}
