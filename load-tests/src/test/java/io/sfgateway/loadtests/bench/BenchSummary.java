package io.sfgateway.loadtests.bench;

import io.sfgateway.loadtests.support.EmulatorAdmin;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * summary.json's content: the contract's lines with their verdicts ({@link ContractVerdicts}), the figures behind
 * them (medians over rounds), the side-by-side latency percentiles the charts draw, every per-round value, the
 * hang, the heap and the shared store's figures, and {@code --explore}'s medians.
 */
final class BenchSummary {

    /**
     * What the run produced besides the rounds.
     *
     * @param counters the org's exchange counts at the end (for exactly one exchange per subject)
     */
    record Inputs(List<Round> rounds, Map<String, Object> hang, Map<String, Object> heap, Map<String, Object> shared,
            EmulatorAdmin.Counters counters) {
    }

    private BenchSummary() {
    }

    static Map<String, Object> build(Inputs in, BenchMode mode) {
        RoundFigures f = new RoundFigures(in.rounds());
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("cpu_per_request_ratio", f.median("cpu_per_request_ratio", 3));
        s.put("cpu_per_request_us_limit", f.median("cpu_per_request_us_limit", 1));
        s.put("cpu_per_request_us_ours", f.median("cpu_per_request_us_ours", 1));
        s.put("warm_rps_ratio_vs_limit", f.median("warm_rps_ratio_vs_limit", 3));
        s.put("warm_p99_delta_ms", f.median("warm_p99_delta_ms", 2));
        s.put("fixed_rate_quarter_rps", f.median("fixed_rate_quarter_rps", 1));
        s.put("fixed_rate_quarter_p99_delta_ms", f.median("fixed_rate_quarter_p99_delta_ms", 3));
        for (String key : f.perRound.keySet()) {
            if (key.startsWith("fixed_rate_p") || key.startsWith("fixed_rate_client") || key.startsWith("c1_p50")) {
                s.put(key, f.median(key, 3));
            }
        }
        s.put("exchanges_per_subject", in.counters().maxExchangesWithPrefix("ours-"));
        s.put("ours_subjects", in.counters().subjectsWithPrefix("ours-"));
        s.put("ours_exchanges", in.counters().exchangesWithPrefix("ours-"));
        s.put("burst_requests_ok", f.burstOk);
        s.put("burst_requests", in.rounds().size() * mode.burstUsers());
        s.put("burst_max_exchanges_per_subject", f.burstMax);
        s.put("token_latency_ms", mode.tokenLatencyMs());
        s.put("cold_overhead_p50_ms", f.median("cold_overhead_p50_ms", 2));
        s.put("limit_overhead_p50_ms_after_wait", f.median("limit_overhead_p50_ms_after_wait", 2));
        s.put("cold_overhead_p50_ms_beyond_limit_after_wait",
                f.median("cold_overhead_p50_ms_beyond_limit_after_wait", 2));
        s.put("heap_bytes_per_session_jol", in.heap().get("heap_bytes_per_session_jol"));
        if (f.perRound.containsKey("shared_warm_rps_ratio_vs_limit")) {
            s.put("shared_warm_rps_ratio_vs_limit", f.median("shared_warm_rps_ratio_vs_limit", 3));
            s.put("shared_cpu_per_request_ratio", f.median("shared_cpu_per_request_ratio", 3));
        }
        s.putAll(in.shared());
        s.put("errors_in_rounds", f.errors);
        s.put("hang", in.hang());
        s.put("heap", in.heap());
        List<Map<String, Object>> contract = ContractVerdicts.judge(s);
        Map<String, Object> head = new LinkedHashMap<>();
        head.put("contract", contract);
        head.put("all_met", ContractVerdicts.allMet(contract));
        head.putAll(s);
        head.put("latency_percentiles_ms", percentiles(f));
        Map<String, Object> perRound = new LinkedHashMap<>();
        f.perRound.keySet().forEach(key -> perRound.put(key, f.rounded(key, 3)));
        head.put("per_round", perRound);
        Map<String, Object> explore = new LinkedHashMap<>();
        f.perRound.keySet().stream().filter(key -> key.startsWith("explore_"))
                .forEach(key -> explore.put(key.substring("explore_".length()), f.median(key, 3)));
        f.perRound.keySet().stream().filter(key -> key.startsWith("fixed_rate_half"))
                .forEach(key -> explore.put(key, f.median(key, 3)));
        if (!explore.isEmpty()) {
            head.put("explore", explore);
        }
        return head;
    }

    /** Limit and ours side by side: each percentile's median over rounds, by target. */
    private static Map<String, Object> percentiles(RoundFigures f) {
        Map<String, Object> byTarget = new LinkedHashMap<>();
        for (String target : List.of("limit", "ours")) {
            Map<String, Object> p = new LinkedHashMap<>();
            for (String percentile : List.of("p50", "p90", "p99", "p999")) {
                p.put(percentile, f.median("side_" + percentile + "_ms_" + target, 3));
            }
            byTarget.put(target, p);
        }
        return byTarget;
    }
}
