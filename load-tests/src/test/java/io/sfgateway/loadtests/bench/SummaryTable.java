package io.sfgateway.loadtests.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** summary.md: a verdict per promise of the contract, then the figures behind them (docs/BENCHMARKS.md quotes it). */
final class SummaryTable {

    private SummaryTable() {
    }

    @SuppressWarnings("unchecked")
    static String markdown(Map<String, Object> s) {
        Map<String, Object> setup = (Map<String, Object>) s.getOrDefault("setup", Map.of());
        Map<String, Object> hang = (Map<String, Object>) s.getOrDefault("hang", Map.of());
        StringBuilder md = new StringBuilder();
        if (Boolean.TRUE.equals(setup.get("smoke_not_measurement"))) {
            md.append("**Smoke run (--quick), not a measurement: no JIT settling, short runs on a shared machine. The"
                    + " figures only show that every stage works; `bench.sh --full` on a quiet machine measures.**\n\n");
        }
        md.append(format("Command: `%s` (%s mode, %s rounds, medians over rounds, %s s)%n%n", setup.get("command"),
                setup.get("mode"), setup.get("rounds"), setup.get("wall_seconds")));
        md.append("| promise | figure | value | target | verdict |\n|---|---|---|---|---|\n");
        for (Map<String, Object> line : (List<Map<String, Object>>) s.get("contract")) {
            md.append(format("| %s | `%s` | %s | %s | %s |%n", line.get("promise"), line.get("figure"),
                    line.get("value"), line.get("target"), Boolean.TRUE.equals(line.get("met")) ? "PASS" : "**FAIL**"));
        }
        md.append(format("%nAll met: %s.%n", Boolean.TRUE.equals(s.get("all_met")) ? "yes" : "**no**"));
        md.append(format("%nWarm path, limit and ours loaded at once (each its own wrk, half the connections): CPU µs"
                + " per request limit %s, ours %s; p50/p90/p99/p99.9 ms %s.%n", s.get("cpu_per_request_us_limit"),
                s.get("cpu_per_request_us_ours"), s.get("latency_percentiles_ms")));
        md.append(format("Fixed rate (open model) at %s requests/s: limit p50 %s p99 %s ms, ours p50 %s p99 %s ms; the"
                + " load generator's own CPU %s µs per request.%n", s.get("fixed_rate_quarter_rps"),
                s.get("fixed_rate_p50_ms_limit"), s.get("fixed_rate_p99_ms_limit"), s.get("fixed_rate_p50_ms_ours"),
                s.get("fixed_rate_p99_ms_ours"), s.get("fixed_rate_client_cpu_us_ours")));
        md.append(format("Cold path (1 connection, token latency %s ms): ours cold %s − exchange %s − floor %s = %s ms;"
                + " the limit's hop after the same wait: limit-wait %s − floor-wait %s = %s ms.%n",
                s.get("token_latency_ms"), s.get("c1_p50_ms_ours_cold"), s.get("c1_p50_ms_exchange"),
                s.get("c1_p50_ms_floor"), s.get("cold_overhead_p50_ms"), s.get("c1_p50_ms_limit_wait"),
                s.get("c1_p50_ms_floor_wait"), s.get("limit_overhead_p50_ms_after_wait")));
        md.append(format("Exchanges: %s for %s subjects; bursts %s/%s requests 200, at most %s exchange per burst"
                + " subject.%n", s.get("ours_exchanges"), s.get("ours_subjects"), s.get("burst_requests_ok"),
                s.get("burst_requests"), s.get("burst_max_exchanges_per_subject")));
        md.append(format("Token endpoint hanging: cached p99 %s ms; %s cold at once before the breaker opens, p50 %s ms,"
                + " max %s ms (statuses %s); breaker open: %s requests, p99 %s ms, %s token requests.%n",
                hang.get("cached_during_hang_p99_ms"), hang.get("breaker_closed_cold_requests"),
                hang.get("breaker_closed_cold_p50_ms"), hang.get("breaker_closed_cold_max_ms"),
                hang.get("breaker_closed_cold_status"), hang.get("breaker_open_requests"),
                hang.get("breaker_open_p99_ms"), hang.get("breaker_open_token_requests")));
        if (s.containsKey("shared_l2_requests")) {
            md.append(format("Shared store: Redis hits on B end to end p50 %s p99 %s ms (%s requests, %s exchanges);"
                    + " store reads %s, %s within 2 ms; burst: %s exchanges for %s subjects (%s of %s requests 200,"
                    + " %s rps of load on the three replicas meanwhile).%n", s.get("shared_l2_hit_p50_ms"),
                    s.get("shared_l2_hit_p99_ms"), s.get("shared_l2_requests"), s.get("shared_l2_exchanges"),
                    s.get("shared_l2_store_read_count"), s.get("shared_l2_store_read_within_2ms_share"),
                    s.get("shared_burst_exchanges"), s.get("shared_burst_subjects"), s.get("shared_burst_requests_ok"),
                    s.get("shared_burst_requests"), s.get("shared_burst_load_rps")));
        }
        md.append(format("Errors in the rounds: %s.%n", s.get("errors_in_rounds")));
        if (s.get("explore") instanceof Map<?, ?> explore) {
            md.append("\n--explore (information, no verdict):\n\n| figure | median |\n|---|---|\n");
            explore.forEach((key, value) -> md.append(format("| `%s` | %s |%n", key, value)));
        }
        return md.toString();
    }

    private static String format(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
