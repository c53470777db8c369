package io.sfgateway.loadtests.bench;

import static io.sfgateway.loadtests.bench.BenchLog.log;

import io.sfgateway.loadtests.support.ActuatorMetrics;
import io.sfgateway.loadtests.support.EmulatorAdmin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The side-by-side benchmark behind {@code load-tests/bench.sh}: the runner. One emulated org in its own process;
 * ways to reach its REST API, measured alternately in rounds with the same load:
 *
 * <ol>
 *   <li><b>floor</b>: straight to the org with a valid session token;</li>
 *   <li><b>limit</b>: gateway-app.jar with its route replaced by a plain Spring Cloud Gateway route that sets that
 *       token as a static {@code Authorization} header (no exchange);</li>
 *   <li><b>ours</b>: gateway-app.jar as shipped (SalesforceTokenExchange), warm and cold;</li>
 *   <li><b>peer</b>: target/peer-gateway.jar, Spring Security's token exchange + TokenRelay;</li>
 *   <li><b>shared</b>: ours with the shared session store on, against an embedded redis-server
 *       ({@link SharedStage}; off with {@code --no-shared}).</li>
 * </ol>
 *
 * Each round: saturated runs ({@link SaturatedStage}, with CPU per request), latency runs and the burst
 * ({@link LatencyStage}), fixed-rate runs ({@link FixedRateStage}). Then once: Redis hits on a second shared gateway
 * ({@link SharedStage#l2Hits}), the token endpoint hanging ({@link HangStage}), profiles ({@link ProfileStage}), and
 * the heap harness ({@link HeapStage}, run while the gateways boot). Writes {@code summary.json} and
 * {@code summary.md} ({@link BenchSummary}, {@link SummaryTable}) and every process's log and wrk output.
 */
public final class Bench {

    private static final String SMOKE = "QUICK MODE: a smoke run that checks the benchmark works end to end, NOT a"
            + " measurement (no JIT settling, 2-second runs); only `bench.sh --full` on a quiet machine gives figures";

    private final BenchMode mode;
    private final Path out;
    private final Map<String, String> opts;
    private final BenchStack stack;
    private final Wrk wrk;
    private final Runs runs = new Runs();
    private final SharedStage shared;

    private Bench(BenchMode mode, Path out, Map<String, String> opts) {
        this.mode = mode;
        this.out = out;
        this.opts = opts;
        this.stack = new BenchStack(opts, out, mode.jvm());
        this.wrk = new Wrk(opts.getOrDefault("wrk", "wrk"), out);
        this.shared = opts.containsKey("no-shared") ? null : new SharedStage(stack, mode);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + arg);
            }
            int eq = arg.indexOf('=');
            opts.put(eq < 0 ? arg.substring(2) : arg.substring(2, eq), eq < 0 ? "true" : arg.substring(eq + 1));
        }
        BenchMode mode = opts.containsKey("full") ? BenchMode.full() : BenchMode.quick();
        if (opts.containsKey("rounds")) {
            mode = mode.withRounds(Integer.parseInt(opts.get("rounds")));
        }
        Path out = Path.of(opts.getOrDefault("out", "target/bench"));
        Files.createDirectories(out);
        Bench bench = new Bench(mode, out, opts);
        try {
            bench.run();
        } finally {
            bench.stack.stopAll();
            if (bench.shared != null) {
                bench.shared.close();
            }
        }
    }

    private void run() throws Exception {
        if (!mode.isFull()) {
            log(SMOKE);
        }
        log("mode %s: %d rounds of %ss (throughput, %d connections), %ss (latency, 1 connection) and %ss (fixed rate);"
                + " out %s", mode.name(), mode.rounds(), mode.throughput().toSeconds(), mode.connections(),
                mode.latency().toSeconds(), mode.fixedRate().toSeconds(), out.toAbsolutePath());
        stack.startOrg();
        stack.startGateways();
        if (shared != null) {
            shared.start();
        }
        // While the gateways boot: mint the IdP tokens and measure the heap per session (neither is timed).
        CompletableFuture<Map<String, Object>> heapRun = CompletableFuture.supplyAsync(() -> {
            try {
                return HeapStage.run(stack.required("classpath"), stack.logs(), mode.heapSessions());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        BenchTokens tokens = BenchTokens.mint(stack.org, mode, stack.staticSession, out.resolve("tokens"),
                shared != null);
        stack.awaitGateways();
        WarmUp warmUp = new WarmUp(stack, wrk, mode, tokens);
        CompletableFuture<Void> primeShared = CompletableFuture.completedFuture(null);
        if (shared != null) {
            shared.await();
            primeShared = CompletableFuture.runAsync(() -> warmUp.prime("shared", shared.urlA(),
                    tokens.sharedWarmList(), "shared-warm-"));
        }
        warmUp.primeAndCheck();
        primeShared.join();
        List<SaturatedStage.Target> targets = new ArrayList<>(List.of(
                new SaturatedStage.Target("floor", "floor", stack.orgUrl, tokens.static_(), null),
                new SaturatedStage.Target("limit", "limit", stack.limitUrl, tokens.oursWarm(), stack.limit),
                new SaturatedStage.Target("ours", "ours-warm", stack.oursUrl, tokens.oursWarm(), stack.ours),
                new SaturatedStage.Target("peer", "peer", stack.peerUrl, tokens.peerWarm(), stack.peer)));
        if (shared != null) {
            targets.add(shared.target(tokens));
        }
        warmUp.run();
        if (shared != null) {
            SaturatedStage.Target a = shared.target(tokens);
            wrk.run("warmup-shared", a.url(), BenchStack.LIMITS, a.tokens(), "cycle", "get", mode.connections(),
                    mode.warmup());
            warmUp.settle("shared", a.process(), a.url(), a.tokens());
            shared.warmB(wrk, tokens);
            warmUp.jitSettle.put("shared_l2", shared.settleL2());
        }
        ProfileStage profile = new ProfileStage(stack, wrk, mode, tokens, out, opts);
        if (opts.containsKey("profile-only")) { // just the profiles, no rounds and no summary
            profile.run();
            heapRun.join();
            return;
        }
        SaturatedStage saturated = new SaturatedStage(stack, wrk, mode, runs, targets);
        LatencyStage latency = new LatencyStage(stack, wrk, mode, runs, tokens);
        FixedRateStage fixedRate = new FixedRateStage(stack, mode, runs, tokens);
        SideBySideStage sideBySide = new SideBySideStage(stack, wrk, mode, runs, tokens.oursWarm());
        List<Round> rounds = new ArrayList<>();
        for (int r = 1; r <= mode.rounds(); r++) {
            long t0 = System.nanoTime();
            SaturatedStage.Result load = saturated.run(r);
            SideBySideStage.Result side = sideBySide.run(r);
            LatencyStage.Result lat = latency.run(r);
            Round round = new Round(r, load, lat, fixedRate.run(r, load.load().get("limit").rps()), side);
            rounds.add(round);
            logRound(round, (System.nanoTime() - t0) / 1e9);
        }
        Map<String, Object> sharedFigures = shared == null ? Map.of() : shared.l2Hits(wrk, tokens);
        Map<String, Object> hang = new HangStage(stack, wrk, mode, runs, tokens).run();
        Map<String, Object> jfr = opts.containsKey("jfr") ? profile.run() : Map.of();
        EmulatorAdmin.Counters counters = stack.org.counters();
        double coalesced = new ActuatorMetrics(stack.oursManagementUrl).count("salesforce.token.exchange.coalesced");
        stack.stopAll();
        Map<String, Object> summary = BenchSummary.build(new BenchSummary.Inputs(rounds, hang, heapRun.join(),
                warmUp.liveHeap, sharedFigures, jfr, warmUp.jitSettle, counters.maxExchangesWithPrefix("ours-"),
                counters.subjectsWithPrefix("ours-"), counters.exchangesWithPrefix("ours-"), coalesced, runs.all()),
                mode, BenchSetup.describe(mode, opts, Math.round(BenchLog.seconds()), shared != null));
        write(summary);
    }

    private void logRound(Round round, double seconds) {
        Map<String, Wrk.Result> load = round.load();
        Map<String, Wrk.Result> lat = round.latency().latency();
        Wrk.Result o = load.get("ours");
        Wrk.Result lim = load.get("limit");
        Map<String, Double> cpu = round.saturated().cpuPerRequestUs();
        log("round %d (%.0f s): rps floor %.0f, limit %.0f, ours %.0f (x%.3f), peer %.0f (x%.3f, %.2f exchanges/req)%s;"
                + " CPU per request limit %.1f us, ours %.1f us (x%.3f); p99 limit %.2f ours %.2f ms; cold p50 %.2f,"
                + " exchange p50 %.2f, floor p50 %.3f ms; burst %d/%d ok, %d exchange(s)", round.number(), seconds,
                load.get("floor").rps(), lim.rps(), o.rps(), o.rps() / lim.rps(), load.get("peer").rps(),
                load.get("peer").rps() / lim.rps(), round.saturated().peerExchanges()
                        / round.saturated().peerRestCalls(),
                load.containsKey("shared") ? String.format(", shared %.0f (x%.3f)", load.get("shared").rps(),
                        load.get("shared").rps() / lim.rps()) : "",
                cpu.get("limit"), cpu.get("ours"), cpu.get("ours") / cpu.get("limit"), lim.p99(), o.p99(),
                lat.get("ours-cold").p50(), lat.get("exchange").p50(), lat.get("floor").p50(),
                round.latency().burstOk(), mode.burstUsers(), round.latency().burstExchanges());
    }

    private void write(Map<String, Object> summary) throws Exception {
        JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        Files.writeString(out.resolve("summary.json"), json.writeValueAsString(summary), StandardCharsets.UTF_8);
        String table = SummaryTable.markdown(summary);
        Files.writeString(out.resolve("summary.md"), table, StandardCharsets.UTF_8);
        log("wrote %s and summary.md (%d s in all)", out.resolve("summary.json"), Math.round(BenchLog.seconds()));
        System.out.println(table);
        if (!mode.isFull()) {
            log(SMOKE);
        }
    }
}
