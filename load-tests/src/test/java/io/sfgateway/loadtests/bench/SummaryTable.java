package io.sfgateway.loadtests.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** summary.md: the summary's figures as Markdown tables (docs/BENCHMARKS.md quotes it). */
final class SummaryTable {

    private SummaryTable() {
    }

    @SuppressWarnings("unchecked")
    static String markdown(Map<String, Object> s) {
        Map<String, Object> setup = (Map<String, Object>) s.get("setup");
        Map<String, Object> pass = (Map<String, Object>) s.get("pass");
        Map<String, Object> targets = (Map<String, Object>) s.get("targets");
        Map<String, Object> hang = (Map<String, Object>) s.get("hang");
        Map<String, Object> heap = (Map<String, Object>) s.get("heap");
        StringBuilder md = new StringBuilder();
        if (Boolean.TRUE.equals(setup.get("smoke_not_measurement"))) {
            md.append("**Smoke run (--quick), not a measurement: no JIT settling, 2-second runs on a shared machine."
                    + " The figures only show that every stage works; `bench.sh --full` on a quiet machine measures.**"
                    + "\n\n");
        }
        md.append(String.format(Locale.ROOT, "Command: `%s` (%s mode: %s rounds; medians over rounds; %s s)%n%n",
                setup.get("command"), setup.get("mode"), setup.get("rounds"), setup.get("wall_seconds")));
        md.append("| figure | value | target | met |\n|---|---|---|---|\n");
        for (String key : targets.keySet()) {
            md.append(String.format(Locale.ROOT, "| `%s` | %s | %s | %s |%n", key, s.get(key), targets.get(key),
                    Boolean.TRUE.equals(pass.get(key)) ? "yes" : "**no**"));
        }
        if (s.containsKey("shared_l2_requests")) {
            md.append(String.format(Locale.ROOT, "| `shared_l2_hit_p99_ms` | %s | (information) end to end, includes"
                    + " the JWT check of a never-seen token and the org's answer | |%n", s.get("shared_l2_hit_p99_ms")));
        }
        md.append(String.format(Locale.ROOT, "| `peer_exchanges_per_request` | %s | (peer) | |%n",
                s.get("peer_exchanges_per_request")));
        md.append(String.format(Locale.ROOT, "| `peer_rps_ratio_vs_limit` | %s | (peer) | |%n%n",
                s.get("peer_rps_ratio_vs_limit")));

        md.append(String.format(Locale.ROOT, "Throughput runs (%s connections, %s s each):%n%n",
                setup.get("connections"), setup.get("throughput_seconds")));
        md.append("| target | rps | p50 ms | p99 ms | cores: gateway / org / machine | gateway CPU µs per request |\n"
                + "|---|---|---|---|---|---|\n");
        for (String t : List.of("floor", "limit", "ours", "peer", "shared")) {
            if (!s.containsKey("rps_" + t)) {
                continue;
            }
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s / %s / %s | %s |%n", t, s.get("rps_" + t),
                    s.get("p50_ms_" + t), s.get("p99_ms_" + t), s.get("cpu_cores_gateway_" + t),
                    s.get("cpu_cores_org_" + t), s.get("cpu_cores_machine_" + t),
                    s.getOrDefault("cpu_per_request_us_" + t, "")));
        }
        md.append(String.format(Locale.ROOT, "%nSide by side (limit and ours loaded at the same time, each by its own"
                + " wrk with half the connections, the same requests): gateway CPU µs per request limit %s, ours %s"
                + " (× %s); rps ours ÷ limit %s.%n", s.get("cpu_per_request_us_limit_side_by_side"),
                s.get("cpu_per_request_us_ours_side_by_side"), s.get("cpu_per_request_ratio_side_by_side"),
                s.get("rps_ratio_side_by_side")));
        md.append(String.format(Locale.ROOT, "%nFixed rate (open model, %s requests/s = %s × the round's limit"
                + " throughput, %s s each):%n%n| target | p50 ms | p99 ms | p99.9 ms |%n|---|---|---|---|%n",
                s.get("fixed_rate_rps"), FixedRateStage.RATE_SHARE, setup.get("fixed_rate_seconds")));
        for (String t : List.of("limit", "ours")) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", t, s.get("fixed_rate_p50_ms_" + t),
                    s.get("fixed_rate_p99_ms_" + t), s.get("fixed_rate_p999_ms_" + t)));
        }
        if (s.containsKey("fixed_rate_quarter_rps")) {
            for (String t : List.of("limit_quarter", "ours_quarter")) {
                md.append(String.format(Locale.ROOT, "| %s (%s requests/s, 5 s, information) | %s | %s | %s |%n", t,
                        s.get("fixed_rate_quarter_rps"), s.get("fixed_rate_p50_ms_" + t),
                        s.get("fixed_rate_p99_ms_" + t), s.get("fixed_rate_p999_ms_" + t)));
            }
            md.append(String.format(Locale.ROOT, "%nAt a quarter of the limit's throughput, ours p99 − limit p99 ="
                    + " %s ms (median over rounds, information).%n", s.get("fixed_rate_quarter_p99_delta_ms")));
        }
        md.append(String.format(Locale.ROOT, "%nThe fixed-rate load generator (this driver's JVM) used %s µs of CPU per"
                + " request.%n", s.get("fixed_rate_client_cpu_us_per_request")));
        md.append(String.format(Locale.ROOT, "%nLatency runs (1 connection, %s s each; token endpoint latency %s ms):"
                + "%n%n", setup.get("latency_seconds"), s.get("token_latency_ms")));
        md.append("| target | p50 ms | p99 ms |\n|---|---|---|\n");
        for (String t : List.of("floor", "limit", "ours_warm", "exchange", "ours_cold", "peer", "floor_wait",
                "limit_wait")) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s |%n", t, s.get("c1_p50_ms_" + t),
                    s.get("c1_p99_ms_" + t)));
        }
        md.append(String.format(Locale.ROOT, "%nCold overhead = cold p50 − direct exchange p50 − floor p50 = %s ms"
                + " (with the fixed latency instead of the measured exchange: %s ms; the gateway's own exchange timer"
                + " averaged %s ms). Warm at 1 connection: p50 %s ms, p99 %s ms above limit.%n",
                s.get("cold_overhead_p50_ms"), s.get("cold_overhead_p50_ms_vs_fixed_latency"),
                s.get("cold_gateway_exchange_timer_mean_ms"), s.get("warm_c1_p50_delta_ms"),
                s.get("warm_c1_p99_delta_ms")));
        if (s.containsKey("limit_overhead_p50_ms_after_wait")) {
            md.append(String.format(Locale.ROOT, "%nWith the org's REST answer taking the token latency instead"
                    + " (floor_wait, limit_wait), the plain route adds %s ms (limit p50 − floor p50; compare the same"
                    + " difference above, where nothing waits). Every cold request of ours includes such a hop; its"
                    + " overhead beyond that hop: %s ms (information, not a verdict).%n",
                    s.get("limit_overhead_p50_ms_after_wait"), s.get("cold_overhead_p50_ms_beyond_limit_after_wait")));
        }
        md.append(String.format(Locale.ROOT, "%nExchanges: ours %s for %s subjects (max per subject %s; %s during warm"
                + " rounds); bursts %s/%s requests ok, max %s exchange(s) per burst subject; %s requests coalesced.%n",
                s.get("ours_exchanges"), s.get("ours_subjects"), s.get("exchanges_per_subject"),
                s.get("ours_exchanges_during_warm_rounds"), s.get("burst_requests_ok"), s.get("burst_requests"),
                s.get("burst_max_exchanges_per_subject"), fmt(s.get("ours_coalesced_total"))));
        md.append(String.format(Locale.ROOT, "%nToken endpoint hanging: cached subjects p99 %s ms (%s errors); %s"
                + " cold requests at once before the breaker opens: p50 %s ms, max %s ms (statuses %s; breaker then"
                + " %s); cold with the breaker open: %s requests, %s non-2xx, p50 %s ms, p99 %s ms, max %s ms, %s"
                + " token requests.%n",
                hang.get("cached_during_hang_p99_ms"), hang.get("cached_during_hang_errors"),
                hang.get("breaker_closed_cold_requests"), hang.get("breaker_closed_cold_p50_ms"),
                hang.get("breaker_closed_cold_max_ms"), hang.get("breaker_closed_cold_status"),
                hang.get("breaker_state_after_timeouts"), hang.get("breaker_open_requests"),
                hang.get("breaker_open_non_2xx"), hang.get("breaker_open_p50_ms"), hang.get("breaker_open_p99_ms"),
                hang.get("breaker_open_max_ms"), hang.get("breaker_open_token_requests")));
        if (s.containsKey("shared_l2_requests")) {
            md.append(String.format(Locale.ROOT, "%nShared store (redis-server on loopback): %s subjects warmed through"
                    + " gateway A, then their first requests to gateway B (local miss, Redis hit): %s requests, p50 %s"
                    + " ms, p99 %s ms, max %s ms, %s errors, %s exchanges at the org meanwhile.%n",
                    s.get("shared_l2_subjects_warmed_through_a"), s.get("shared_l2_requests"),
                    s.get("shared_l2_hit_p50_ms"), s.get("shared_l2_hit_p99_ms"), s.get("shared_l2_hit_max_ms"),
                    s.get("shared_l2_errors"), s.get("shared_l2_exchanges")));
            md.append(String.format(Locale.ROOT, "B's own store-read timer (`salesforce.session.store.read`, outcome"
                    + " hit) over those requests: %s reads, mean %s ms, share within 2 ms %s, p99 at most %s ms (the"
                    + " upper bound of its histogram bucket; NaN: the gateway has no such timer).%n",
                    s.get("shared_l2_store_read_count"), s.get("shared_l2_store_read_mean_ms"),
                    s.get("shared_l2_store_read_within_2ms_share"), s.get("shared_l2_store_read_p99_ms")));
        }
        md.append(String.format(Locale.ROOT, "%n`heap_bytes_per_session` measured on: %s.%n",
                s.get("heap_bytes_per_session_source")));
        md.append(String.format(Locale.ROOT, "%nHeap harness (SessionCache alone, %s sessions): %s bytes per session (keys %s,"
                + " sessions %s, cache structure %s), %s MB for 100,000.%n", heap.get("sessions"),
                heap.get("heap_bytes_per_session"), heap.get("key_bytes"), heap.get("session_bytes"),
                heap.get("cache_structure_bytes"), heap.get("heap_mb_for_100k")));
        md.append(String.format(Locale.ROOT, "JOL, the object graph the session cache holds (its hash table, Caffeine"
                + " nodes, keys, futures, sessions), less the empty cache's: %s bytes per session.%n",
                heap.get("jol_bytes_per_session")));
        if (s.get("heap_live_gateway") instanceof Map<?, ?> live) {
            md.append(String.format(Locale.ROOT, "Cross-check on the running gateway (live heap before and after %s new"
                    + " subjects, GC.class_histogram): %s bytes per subject; grew most: %s.%n", live.get("subjects"),
                    live.get("bytes_per_subject"), live.get("top_classes_bytes_per_subject")));
        }
        return md.toString();
    }

    private static String fmt(Object value) {
        return value instanceof Double d ? String.format(Locale.ROOT, "%.0f", d) : String.valueOf(value);
    }

}
