package io.sfgateway.loadtests.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.sfgateway.loadtests.support.EmulatorAdmin;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The summary from known rounds: medians of per-round values, and one verdict per promise of the contract. */
class BenchSummaryTest {

    static Wrk.Result wrk(String label, double rps, double p50, double p99) {
        return new Wrk.Result(label, Math.round(rps * 2), 2.0, 0, 0, 0, p50, p50 + 0.5, p99, p99 + 1, p50, p99 + 2,
                false);
    }

    private static FixedRateLoad.Result fixed(double rate, double p99) {
        return new FixedRateLoad.Result("f", rate, 1000, 0, 0.5, p99, p99 + 1, p99 + 2, 40);
    }

    /**
     * A round where ours costs {@code cpuOurs} µs per request against the limit's 100 and adds {@code fixedDelta} at
     * p99 at a fixed rate; the cold path: 51.8 − 50.9 − 0.06 = 0.84 ms, the limit's hop after the wait 0.1 × n.
     */
    static Round round(int n, double cpuOurs, double fixedDelta) {
        SideBySideStage.Pair ours = new SideBySideStage.Pair("ours", wrk("limit", 3000, 5, 12),
                wrk("ours", 2850, 5, 12.5), 100.0, cpuOurs);
        SideBySideStage.Pair shared = new SideBySideStage.Pair("shared", wrk("limit", 3000, 5, 12),
                wrk("shared", 2700, 5, 13), 100.0, cpuOurs);
        Map<String, Wrk.Result> latency = new LinkedHashMap<>();
        latency.put("floor", wrk("floor", 1, 0.06, 1));
        latency.put("exchange", wrk("exchange", 1, 50.9, 51.2));
        latency.put("ours-cold", wrk("ours-cold", 1, 51.8, 55));
        latency.put("floor-wait", wrk("floor-wait", 1, 50.7, 51));
        latency.put("limit-wait", wrk("limit-wait", 1, 50.7 + 0.1 * n, 51.5));
        Map<String, FixedRateLoad.Result> fixedRate = new LinkedHashMap<>();
        fixedRate.put("limit", fixed(1500, 2.0));
        fixedRate.put("ours", fixed(1500, 2.0 + fixedDelta));
        return new Round(n, ours, shared, new LatencyStage.Result(latency, 200, 1), fixedRate, Map.of());
    }

    static Map<String, Object> hang(double coldMaxMs, double openP99) {
        Map<String, Object> hang = new LinkedHashMap<>();
        hang.put("cached_during_hang_errors", 0L);
        hang.put("exchange_timeout_ms", 3000L);
        hang.put("breaker_closed_cold_unanswered", 0L);
        hang.put("breaker_closed_cold_max_ms", coldMaxMs);
        hang.put("breaker_opened", true);
        hang.put("breaker_open_p99_ms", openP99);
        return hang;
    }

    static Map<String, Object> shared(long burstMin, long burstMax, double storeReadP99) {
        Map<String, Object> shared = new LinkedHashMap<>();
        shared.put("shared_l2_hit_p99_ms", 8.2);
        shared.put("shared_l2_requests", 2000L);
        shared.put("shared_l2_store_read_p99_ms", storeReadP99);
        shared.put("shared_burst_exchanges_per_subject", Stats.round((burstMin + burstMax) / 2.0, 2));
        shared.put("shared_burst_min_exchanges_per_subject", burstMin);
        shared.put("shared_burst_max_exchanges_per_subject", burstMax);
        return shared;
    }

    static Map<String, Object> summary(List<Round> rounds, Map<String, Object> hang, Map<String, Object> shared) {
        EmulatorAdmin.Counters counters = new EmulatorAdmin.Counters(3, 3, 100, 1,
                Map.of("ours-warm-00000", 1L, "ours-cold-r1-00000", 1L, "peer-warm-00000", 4L));
        return BenchSummary.build(new BenchSummary.Inputs(rounds, hang, Map.of("heap_bytes_per_session_jol", 570.5),
                shared, counters), BenchMode.full());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Boolean> verdicts(Map<String, Object> s) {
        Map<String, Boolean> met = new LinkedHashMap<>();
        ((List<Map<String, Object>>) s.get("contract")).forEach(l -> met.put((String) l.get("figure"),
                (Boolean) l.get("met")));
        return met;
    }

    @Test
    void everyPromiseHasOneLineWithTheMedianOfItsRounds() {
        Map<String, Object> s = summary(List.of(round(1, 100, 0.2), round(2, 110, 0.9), round(3, 120, 0.3)),
                hang(3040, 2.4), shared(1, 1, 2.0));

        assertThat(s).contains(entry("cpu_per_request_ratio", 1.1), entry("cpu_per_request_us_ours", 110.0),
                entry("warm_rps_ratio_vs_limit", 0.95), entry("warm_p99_delta_ms", 0.5),
                entry("fixed_rate_quarter_p99_delta_ms", 0.3), entry("fixed_rate_quarter_rps", 1500.0),
                entry("exchanges_per_subject", 1L), entry("cold_overhead_p50_ms", 0.84),
                entry("limit_overhead_p50_ms_after_wait", 0.2),
                entry("cold_overhead_p50_ms_beyond_limit_after_wait", 0.64),
                entry("shared_warm_rps_ratio_vs_limit", 0.9), entry("heap_bytes_per_session_jol", 570.5));
        assertThat(verdicts(s)).containsExactly(entry("cpu_per_request_ratio", false),
                entry("warm_rps_ratio_vs_limit", true), entry("warm_p99_delta_ms", true),
                entry("fixed_rate_quarter_p99_delta_ms", true), entry("exchanges_per_subject", true),
                entry("cold_overhead_p50_ms_beyond_limit_after_wait", true), entry("cached_during_hang_errors", true),
                entry("breaker_closed_cold_max_ms", true), entry("breaker_open_p99_ms", true),
                entry("heap_bytes_per_session_jol", true), entry("shared_warm_rps_ratio_vs_limit", true),
                entry("shared_l2_store_read_p99_ms", true), entry("shared_burst_exchanges_per_subject", true));
        assertThat(s).containsEntry("all_met", false);
        assertThat(SummaryTable.markdown(s))
                .contains("| `cpu_per_request_ratio` | 1.1 | <= 1.05 | **FAIL** |")
                .contains("| `shared_burst_exchanges_per_subject` | 1.0 | == 1.00 (every subject once) | PASS |");
    }

    @Test
    void aSubjectExchangedTwiceAcrossReplicasFailsTheBurstEvenWhenTheMeanRoundsToOne() {
        Map<String, Object> s = summary(List.of(round(1, 100, 0.2)), hang(3040, 2.4), shared(0, 2, 2.0));

        assertThat(s).containsEntry("shared_burst_exchanges_per_subject", 1.0);
        assertThat(verdicts(s)).containsEntry("shared_burst_exchanges_per_subject", false);
    }

    @Test
    void theHangsLinesFollowTheExchangeTimeoutAndTheOpenBreaker() {
        Map<String, Object> late = summary(List.of(round(1, 100, 0.2)), hang(3150, 2.4), Map.of());
        Map<String, Object> slowWhenOpen = summary(List.of(round(1, 100, 0.2)), hang(3040, 6.0), Map.of());

        assertThat(verdicts(late)).containsEntry("breaker_closed_cold_max_ms", false)
                .containsEntry("breaker_open_p99_ms", true).doesNotContainKey("shared_burst_exchanges_per_subject");
        assertThat(verdicts(slowWhenOpen)).containsEntry("breaker_closed_cold_max_ms", true)
                .containsEntry("breaker_open_p99_ms", false);
    }

    @Test
    void aMissingFigureIsNotMet() {
        Map<String, Object> s = summary(List.of(round(1, 100, 0.2)), hang(3040, 2.4), shared(1, 1, Double.NaN));

        assertThat(verdicts(s)).containsEntry("shared_l2_store_read_p99_ms", false)
                .containsEntry("shared_burst_exchanges_per_subject", true);
    }
}
