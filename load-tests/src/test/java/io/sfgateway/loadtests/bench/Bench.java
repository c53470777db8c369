package io.sfgateway.loadtests.bench;

import static io.sfgateway.loadtests.bench.BenchLog.log;

import io.sfgateway.loadtests.support.ActuatorMetrics;
import io.sfgateway.loadtests.support.EmulatorAdmin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The benchmark behind {@code load-tests/bench.sh}: it measures the list of the contract's performance promises
 * and prints a verdict per promise. One emulated org in its own process; the limit (a plain route with a static
 * {@code Authorization} header) and ours (gateway-app.jar as shipped), and unless {@code --no-shared} three gateways
 * with the shared store on ({@link SharedStore}). Each round: limit and ours loaded at once ({@link SideBySideStage},
 * also limit and shared replica A), the latency runs and the burst ({@link LatencyStage}), the fixed-rate runs
 * ({@link FixedRateStage}). Then once: Redis hits ({@link SharedL2Stage}), the shared burst
 * ({@link SharedBurstStage}), the token endpoint hanging ({@link HangStage}); the heap per session by JOL
 * ({@link HeapPerSession}) while the gateways boot. {@code --explore} adds {@link ExploreStage} and
 * {@link ProfileStage}. Writes summary.json, summary.md and the charts ({@link BenchCharts}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true)
public final class Bench implements Callable<Integer> {

    private static final String SMOKE = "QUICK MODE: a smoke run that checks every stage works, NOT a measurement"
            + " (no JIT settling, 1-2 second runs); only `bench.sh --full` on a quiet machine gives figures";

    @Mixin
    BenchOptions options = new BenchOptions();

    public static void main(String[] args) {
        System.exit(new CommandLine(new Bench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        BenchMode mode = options.mode();
        Files.createDirectories(options.out);
        try (BenchTargets targets = new BenchTargets(options, mode);
                SharedStore shared = options.shared() ? new SharedStore(targets, options) : null) {
            Map<String, Object> summary = run(mode, targets, shared);
            write(summary, mode);
            return 0;
        }
    }

    private Map<String, Object> run(BenchMode mode, BenchTargets targets, SharedStore shared) throws Exception {
        if (!mode.isFull()) {
            log(SMOKE);
        }
        log("mode %s: %d rounds of %ss (saturated, %d connections), %ss (latency, 1 connection), %ss (fixed rate)%s;"
                + " out %s", mode.name(), mode.rounds(), mode.throughput().toSeconds(), mode.connections(),
                mode.latency().toSeconds(), mode.fixedRate().toSeconds(), options.explore ? "; exploring" : "",
                options.out.toAbsolutePath());
        targets.start();
        if (shared != null) {
            shared.start();
        }
        // While the gateways boot: the heap per session (JOL) and the IdP tokens.
        CompletableFuture<Map<String, Object>> heap = CompletableFuture.supplyAsync(
                () -> HeapPerSession.measure(mode.heapSessions()));
        BenchTokens tokens = BenchTokens.mint(targets.admin(), mode, targets.staticSession,
                options.out.resolve("tokens"), shared != null);
        targets.awaitGateways();
        Wrk wrk = new Wrk(options.wrk, options.out);
        WarmUp warmUp = new WarmUp(targets, wrk, mode, tokens);
        warmUp.primeAndCheck();
        if (shared != null) {
            shared.awaitReplicas();
            warmUp.prime("shared", shared.a().url(), tokens.sharedWarmList(), "shared-warm-");
        }
        warmUp.run();
        SharedL2Stage l2 = shared == null ? null : new SharedL2Stage(shared, targets.admin(), wrk, mode);
        if (shared != null) {
            warmUp.warmAndSettle("shared", shared.a(), tokens.sharedWarm());
            warmUp.jitSettle.put("shared_l2", l2.settle(tokens));
        }
        Runs runs = new Runs();
        SideBySideStage sideBySide = new SideBySideStage(targets, wrk, mode, runs);
        LatencyStage latency = new LatencyStage(targets, wrk, mode, runs, tokens, options.explore);
        FixedRateStage fixedRate = new FixedRateStage(targets, mode, runs, tokens, options.explore);
        ExploreStage explore = options.explore ? new ExploreStage(targets, wrk, mode, runs, tokens) : null;
        List<Round> rounds = new ArrayList<>();
        for (int r = 1; r <= mode.rounds(); r++) {
            long t0 = System.nanoTime();
            SideBySideStage.Pair ours = sideBySide.run(r, "ours", targets.ours, tokens.oursWarm());
            SideBySideStage.Pair sharedPair = shared == null ? null
                    : sideBySide.run(r, "shared", shared.a(), tokens.sharedWarm());
            Map<String, Object> explored = explore == null ? Map.of() : explore.run(r);
            LatencyStage.Result lat = latency.run(r);
            Round round = new Round(r, ours, sharedPair, lat, fixedRate.run(r, ours.limit().rps()), explored);
            rounds.add(round);
            log("round %d done in %.0f s", r, (System.nanoTime() - t0) / 1e9);
        }
        Map<String, Object> sharedFigures = new LinkedHashMap<>();
        if (shared != null) {
            sharedFigures.putAll(l2.l2Hits(tokens));
            sharedFigures.putAll(new SharedBurstStage(shared, targets.admin(), wrk, mode).run(tokens));
        }
        Map<String, Object> hang = new HangStage(targets, wrk, mode, runs, tokens).run();
        Map<String, Object> profiles = explore == null ? Map.of()
                : new ProfileStage(targets, wrk, mode, tokens, options).run();
        EmulatorAdmin.Counters counters = targets.admin().counters();
        double coalesced = new ActuatorMetrics(targets.ours.managementUrl()).count("salesforce.token.exchange.coalesced");
        Map<String, Object> summary = BenchSummary.build(new BenchSummary.Inputs(rounds, hang, heap.join(),
                sharedFigures, counters), mode);
        summary.put("ours_coalesced_total", coalesced);
        summary.put("jit_settle", warmUp.jitSettle);
        if (!profiles.isEmpty()) {
            summary.put("profiles", profiles);
        }
        summary.put("runs", runs.all());
        summary.put("setup", BenchSetup.describe(mode, options, Math.round(BenchLog.seconds())));
        return summary;
    }

    private void write(Map<String, Object> summary, BenchMode mode) throws Exception {
        JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        Files.writeString(options.out.resolve("summary.json"), json.writeValueAsString(summary),
                StandardCharsets.UTF_8);
        String table = SummaryTable.markdown(summary);
        Files.writeString(options.out.resolve("summary.md"), table, StandardCharsets.UTF_8);
        List<String> charts = BenchCharts.write(summary, options.out);
        log("wrote %s, summary.md and %s (%d s in all)", options.out.resolve("summary.json"), charts,
                Math.round(BenchLog.seconds()));
        System.out.println(table);
        if (!mode.isFull()) {
            log(SMOKE);
        }
    }
}
