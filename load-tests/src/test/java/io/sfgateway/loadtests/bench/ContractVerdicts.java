package io.sfgateway.loadtests.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contract's performance promises, one line each, judged on a summary's figures: the figure that answers it,
 * its value, the target and whether it was met. A figure that is missing (a stage left out, a timer absent) is not
 * met. The shared store's lines only when it ran.
 */
final class ContractVerdicts {

    /** How far past {@code exchange.timeout} a cold request's 503 may leave while the token endpoint hangs. */
    static final double TIMEOUT_SLACK_MS = 100;

    private ContractVerdicts() {
    }

    /** The lines, in the contract's order, as maps ({@code promise, figure, value, target, met}) for summary.json. */
    static List<Map<String, Object>> judge(Map<String, Object> s) {
        List<Map<String, Object>> lines = new ArrayList<>();
        line(lines, s, "warm path: CPU per request, limit and ours loaded at once", "cpu_per_request_ratio",
                "<= 1.05", v -> v <= 1.05);
        line(lines, s, "warm path: throughput, loaded at once", "warm_rps_ratio_vs_limit", ">= 0.9", v -> v >= 0.9);
        line(lines, s, "warm path: saturated p99 above the limit's", "warm_p99_delta_ms", "<= 1 ms", v -> v <= 1.0);
        line(lines, s, "warm path: p99 above the limit's at a quarter of its throughput",
                "fixed_rate_quarter_p99_delta_ms", "<= 0.5 ms", v -> v <= 0.5);
        line(lines, s, "exactly one exchange per subject (bursts of first requests included)",
                "exchanges_per_subject", "== 1", v -> v == 1.0);
        line(lines, s, "cold path beyond the limit's hop after the same 50 ms wait, p50",
                "cold_overhead_p50_ms_beyond_limit_after_wait", "<= 0.75 ms", v -> v <= 0.75);
        Map<?, ?> hang = s.get("hang") instanceof Map<?, ?> m ? m : Map.of();
        line(lines, hang, "token endpoint hanging: cached subjects unaffected (errors)", "cached_during_hang_errors",
                "== 0", v -> v == 0);
        double timeout = number(hang, "exchange_timeout_ms");
        boolean allAnswered = number(hang, "breaker_closed_cold_unanswered") == 0;
        line(lines, hang, "token endpoint hanging: cold requests answered within exchange.timeout (slowest)",
                "breaker_closed_cold_max_ms", "<= " + Math.round(timeout) + " + " + Math.round(TIMEOUT_SLACK_MS)
                        + " ms, every one answered", v -> allAnswered && v <= timeout + TIMEOUT_SLACK_MS);
        boolean opened = Boolean.TRUE.equals(hang.get("breaker_opened"));
        line(lines, hang, "token endpoint hanging: cold requests once the breaker is open, p99", "breaker_open_p99_ms",
                "<= 5 ms, breaker open, no token request", v -> opened && v <= 5.0);
        line(lines, s, "100,000 cached sessions within 60 MB (JOL)", "heap_bytes_per_session_jol", "<= 600 bytes",
                v -> v <= 600);
        if (s.containsKey("shared_l2_requests")) {
            line(lines, s, "shared store: warm throughput (local hits), loaded at once with the limit",
                    "shared_warm_rps_ratio_vs_limit", ">= 0.9", v -> v >= 0.9);
            line(lines, s, "shared store: a local miss served from Redis, p99 (the replica's store-read timer, a"
                    + " bucket bound)", "shared_l2_store_read_p99_ms", "<= 2 ms", v -> v <= 2.0);
            boolean everyOnce = number(s, "shared_burst_min_exchanges_per_subject") == 1
                    && number(s, "shared_burst_max_exchanges_per_subject") == 1;
            line(lines, s, "shared store: three loaded replicas receive a subject's first requests at once",
                    "shared_burst_exchanges_per_subject", "== 1.00 (every subject once)", v -> everyOnce && v == 1.0);
        }
        return lines;
    }

    /** Whether every line was met. */
    static boolean allMet(List<Map<String, Object>> lines) {
        return lines.stream().allMatch(line -> Boolean.TRUE.equals(line.get("met")));
    }

    private interface Test {
        boolean met(double value);
    }

    private static void line(List<Map<String, Object>> lines, Map<?, ?> figures, String promise, String figure,
            String target, Test test) {
        double value = number(figures, figure);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("promise", promise);
        line.put("figure", figure);
        line.put("value", figures.get(figure));
        line.put("target", target);
        line.put("met", !Double.isNaN(value) && test.met(value));
        lines.add(line);
    }

    static double number(Map<?, ?> map, String key) {
        return map.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
