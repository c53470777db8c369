package io.sfgateway.loadtests.bench;

import static io.sfgateway.loadtests.bench.RoundFigures.median;
import static io.sfgateway.loadtests.bench.RoundFigures.rounded;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * summary.json's content: the headline figures (medians over rounds) with their targets and verdicts, every
 * per-target figure, the hang probe, the heap figures, the shared store's figures, per-round values, every run,
 * and the set-up.
 */
final class BenchSummary {

    /** What the run produced besides the rounds. */
    record Inputs(List<Round> rounds, Map<String, Object> hang, Map<String, Object> heap, Map<String, Object> liveHeap,
            Map<String, Object> shared, Map<String, Object> jfr, Map<String, Object> jitSettle, long oursMax,
            long oursSubjects, long oursExchanges, double oursCoalesced, List<Map<String, Object>> runs) {
    }

    private BenchSummary() {
    }

    static Map<String, Object> build(Inputs in, BenchMode mode, Map<String, Object> setup) {
        RoundFigures f = new RoundFigures(in.rounds(), mode.tokenLatencyMs());
        // The figure is the running gateway's (everything it keeps per cached subject: the session cache entry and
        // the verified-token entry); the harness (SessionCache alone) stays beside it.
        double harnessPerSession = number(in.heap(), "heap_bytes_per_session");
        double heapPerSession = in.liveHeap().isEmpty() ? harnessPerSession : number(in.liveHeap(), "bytes_per_subject");
        double jolPerSession = number(in.heap(), "jol_bytes_per_session");
        double cpuLimit = Stats.median(f.cpuPerRequest.getOrDefault("limit", List.of()));
        double cpuOurs = Stats.median(f.cpuPerRequest.getOrDefault("ours", List.of()));

        Map<String, Object> s = new LinkedHashMap<>();
        s.put("warm_rps_ratio_vs_limit", median(f.ratio, 3));
        s.put("warm_p99_delta_ms", median(f.p99Delta, 2));
        s.put("exchanges_per_subject", in.oursMax());
        s.put("peer_exchanges_per_request", median(f.peerPerRequest, 3));
        s.put("peer_rps_ratio_vs_limit", median(f.peerRatio, 3));
        s.put("cold_overhead_p50_ms", median(f.cold, 2));
        s.put("breaker_open_p99_ms", in.hang().get("breaker_open_p99_ms"));
        s.put("heap_bytes_per_session", Stats.round(heapPerSession, 1));
        s.put("fixed_rate_p99_delta_ms", median(f.fixedP99Delta, 3));
        s.put("cpu_per_request_ratio", median(f.cpuRatio, 3));
        s.put("cpu_per_request_us_limit", Stats.round(cpuLimit, 1));
        s.put("cpu_per_request_us_ours", Stats.round(cpuOurs, 1));
        s.put("cpu_per_request_ratio_side_by_side", median(f.sideCpuRatio, 3));
        f.sideCpuPerRequest.forEach((k, v) -> s.put("cpu_per_request_us_" + k + "_side_by_side", median(v, 1)));
        s.put("rps_ratio_side_by_side", median(f.sideRpsRatio, 3));
        s.put("heap_bytes_per_session_jol", Stats.round(jolPerSession, 1));
        s.putAll(in.shared());
        if (!f.sharedRatio.isEmpty()) {
            s.put("shared_warm_rps_ratio_vs_limit", median(f.sharedRatio, 3));
        }

        f.rps.forEach((k, v) -> s.put("rps_" + k.replace('-', '_'), median(v, 1)));
        f.p50.forEach((k, v) -> s.put("p50_ms_" + k.replace('-', '_'), median(v, 3)));
        f.p99.forEach((k, v) -> s.put("p99_ms_" + k.replace('-', '_'), median(v, 3)));
        f.c1p50.forEach((k, v) -> s.put("c1_p50_ms_" + k.replace('-', '_'), median(v, 3)));
        f.c1p99.forEach((k, v) -> s.put("c1_p99_ms_" + k.replace('-', '_'), median(v, 3)));
        s.put("fixed_rate_rps", median(f.fixedRate, 1));
        if (!f.fixedQuarterRate.isEmpty()) {
            s.put("fixed_rate_quarter_rps", median(f.fixedQuarterRate, 1));
            s.put("fixed_rate_quarter_p99_delta_ms", median(f.fixedQuarterP99Delta, 3));
        }
        f.fixed.forEach((k, v) -> s.put("fixed_rate_" + k, median(v, 3)));
        f.cpuPerRequest.forEach((k, v) -> s.putIfAbsent("cpu_per_request_us_" + k, median(v, 1)));
        s.put("warm_p50_delta_ms", median(f.p50Delta, 3));
        s.put("warm_c1_p50_delta_ms", median(f.c1WarmP50Delta, 3));
        s.put("warm_c1_p99_delta_ms", median(f.c1WarmP99Delta, 3));
        s.put("cold_overhead_p50_ms_vs_fixed_latency", median(f.coldFixed, 2));
        s.put("cold_gateway_exchange_timer_mean_ms", median(f.gatewayExchange, 2));
        if (!f.limitAfterWait.isEmpty()) {
            s.put("limit_overhead_p50_ms_after_wait", median(f.limitAfterWait, 2));
            s.put("cold_overhead_p50_ms_beyond_limit_after_wait", median(f.coldBeyondLimitAfterWait, 2));
        }
        s.put("token_latency_ms", mode.tokenLatencyMs());
        s.put("ours_exchanges_during_warm_rounds", f.oursWarmExchanges);
        s.put("ours_subjects", in.oursSubjects());
        s.put("ours_exchanges", in.oursExchanges());
        s.put("burst_requests_ok", f.burstOk);
        s.put("burst_requests", in.rounds().size() * mode.burstUsers());
        s.put("burst_max_exchanges_per_subject", f.burstMax);
        s.put("ours_coalesced_total", in.oursCoalesced());
        s.put("errors_in_rounds", f.errors);
        f.cores.forEach((target, samples) -> {
            s.put("cpu_cores_gateway_" + target, target.equals("floor") ? 0.0
                    : median(samples.stream().map(v -> v[0]).toList(), 2));
            s.put("cpu_cores_org_" + target, median(samples.stream().map(v -> v[1]).toList(), 2));
            s.put("cpu_cores_machine_" + target, median(samples.stream().map(v -> v[2]).toList(), 2));
        });
        s.put("jit_settle", in.jitSettle());
        s.put("hang", in.hang());
        s.put("heap", in.heap());
        s.put("heap_bytes_per_session_source", in.liveHeap().isEmpty() ? "SessionCache harness"
                : "running gateway, GC.class_histogram before/after " + in.liveHeap().get("subjects")
                        + " new subjects");
        s.put("heap_bytes_per_session_harness", Stats.round(harnessPerSession, 1));
        if (!in.liveHeap().isEmpty()) {
            s.put("heap_live_gateway", in.liveHeap());
        }

        Map<String, Object> perRound = new LinkedHashMap<>();
        perRound.put("warm_rps_ratio_vs_limit", rounded(f.ratio, 3));
        perRound.put("warm_p99_delta_ms", rounded(f.p99Delta, 2));
        perRound.put("peer_rps_ratio_vs_limit", rounded(f.peerRatio, 3));
        perRound.put("peer_exchanges_per_request", rounded(f.peerPerRequest, 3));
        perRound.put("cold_overhead_p50_ms", rounded(f.cold, 2));
        perRound.put("cold_overhead_p50_ms_vs_fixed_latency", rounded(f.coldFixed, 2));
        perRound.put("cold_gateway_exchange_timer_mean_ms", rounded(f.gatewayExchange, 2));
        perRound.put("limit_overhead_p50_ms_after_wait", rounded(f.limitAfterWait, 2));
        perRound.put("cold_overhead_p50_ms_beyond_limit_after_wait", rounded(f.coldBeyondLimitAfterWait, 2));
        perRound.put("fixed_rate_rps", rounded(f.fixedRate, 1));
        perRound.put("fixed_rate_p99_delta_ms", rounded(f.fixedP99Delta, 3));
        perRound.put("fixed_rate_quarter_p99_delta_ms", rounded(f.fixedQuarterP99Delta, 3));
        perRound.put("cpu_per_request_ratio", rounded(f.cpuRatio, 3));
        perRound.put("cpu_per_request_ratio_side_by_side", rounded(f.sideCpuRatio, 3));
        perRound.put("rps_ratio_side_by_side", rounded(f.sideRpsRatio, 3));
        perRound.put("shared_warm_rps_ratio_vs_limit", rounded(f.sharedRatio, 3));
        s.put("per_round", perRound);
        s.put("runs", in.runs());
        verdicts(s, f, in, heapPerSession, jolPerSession);
        s.put("setup", setup);
        if (!in.jfr().isEmpty()) {
            s.put("jfr", in.jfr().keySet());
        }
        return s;
    }

    /** The targets (issue 14's and the contract's) and whether this run met them. */
    private static void verdicts(Map<String, Object> s, RoundFigures f, Inputs in, double heapPerSession,
            double jolPerSession) {
        Map<String, Object> targets = new LinkedHashMap<>();
        Map<String, Object> pass = new LinkedHashMap<>();
        check(targets, pass, "warm_rps_ratio_vs_limit", ">= 0.9", Stats.median(f.ratio) >= 0.9);
        check(targets, pass, "warm_p99_delta_ms", "<= 1", Stats.median(f.p99Delta) <= 1.0);
        check(targets, pass, "fixed_rate_p99_delta_ms", "<= 0.5 (at half the limit's throughput)",
                Stats.median(f.fixedP99Delta) <= 0.5);
        check(targets, pass, "cpu_per_request_ratio", "<= 1.05", Stats.median(f.cpuRatio) <= 1.05);
        // The same target measured with both gateways loaded at once (SideBySideStage): the machine's drift between
        // runs cancels. Both verdicts stand; the side-by-side one is the figure that repeats.
        check(targets, pass, "cpu_per_request_ratio_side_by_side", "<= 1.05 (limit and ours loaded at once)",
                Stats.median(f.sideCpuRatio) <= 1.05);
        check(targets, pass, "exchanges_per_subject", "== 1", in.oursMax() == 1);
        check(targets, pass, "cold_overhead_p50_ms", "<= 1", Stats.median(f.cold) <= 1.0);
        check(targets, pass, "breaker_open_p99_ms", "<= 5", Boolean.TRUE.equals(in.hang().get("breaker_opened"))
                && ((Number) in.hang().get("breaker_open_p99_ms")).doubleValue() <= 5.0);
        check(targets, pass, "heap_bytes_per_session", "<= 600 (100,000 sessions within 60 MB)",
                heapPerSession <= 600);
        check(targets, pass, "heap_bytes_per_session_jol", "<= 600", jolPerSession <= 600);
        if (!f.sharedRatio.isEmpty()) {
            check(targets, pass, "shared_warm_rps_ratio_vs_limit", ">= 0.9 (local hits, as ours)",
                    Stats.median(f.sharedRatio) >= 0.9);
        }
        if (s.containsKey("shared_l2_requests")) {
            // "A local miss served from Redis within 2 ms p99": the gateway's own time for it (its store-read timer,
            // a bucket bound), not wrk's end-to-end figure, which adds the JWT check of a never-seen token and the
            // org's REST answer (shared_l2_hit_p99_ms, shown as information). Absent timer (NaN): not met.
            check(targets, pass, "shared_l2_store_read_p99_ms", "<= 2 (B's own store-read timer, outcome hit; a"
                    + " bucket bound)", number(s, "shared_l2_store_read_p99_ms") <= 2.0);
            check(targets, pass, "shared_l2_exchanges", "== 0", ((Number) s.get("shared_l2_exchanges")).longValue() == 0
                    && ((Number) s.get("shared_l2_requests")).longValue() > 0);
        }
        s.put("targets", targets);
        s.put("pass", pass);
    }

    private static void check(Map<String, Object> targets, Map<String, Object> pass, String key, String target,
            boolean met) {
        targets.put(key, target);
        pass.put(key, met);
    }

    private static double number(Map<String, Object> map, String key) {
        return map.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
