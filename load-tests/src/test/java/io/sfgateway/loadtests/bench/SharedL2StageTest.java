package io.sfgateway.loadtests.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.sfgateway.loadtests.support.PrometheusHistogram;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The store-read figures of the Redis-hit run, from two readings of B's Prometheus endpoint. */
class SharedL2StageTest {

    private static PrometheusHistogram reading(long within1ms, long within2ms, long within2446us, long all,
            double seconds) {
        String text = """
                salesforce_session_store_read_seconds_bucket{outcome="hit",le="0.001"} %d
                salesforce_session_store_read_seconds_bucket{outcome="hit",le="0.002"} %d
                salesforce_session_store_read_seconds_bucket{outcome="hit",le="0.002446676"} %d
                salesforce_session_store_read_seconds_bucket{outcome="hit",le="+Inf"} %d
                salesforce_session_store_read_seconds_count{outcome="hit"} %d
                salesforce_session_store_read_seconds_sum{outcome="hit"} %s
                salesforce_session_store_read_seconds_count{outcome="miss"} 50
                """.formatted(within1ms, within2ms, within2446us, all, all, Double.toString(seconds));
        return PrometheusHistogram.parse(text, SharedL2Stage.STORE_READ, "outcome", "hit");
    }

    @Test
    void figuresCountOnlyTheReadsBetweenTheTwoReadings() {
        // Before the run: 1,000 reads from the warm-up, all slow; during it: 2,000, 1,985 within 2 ms.
        PrometheusHistogram before = reading(0, 0, 0, 1000, 5.0);
        PrometheusHistogram after = reading(1500, 1985, 2000, 3000, 6.2);

        Map<String, Object> figures = SharedL2Stage.storeReadFigures(after.minus(before));

        assertThat(figures).contains(entry("shared_l2_store_read_count", 2000L),
                entry("shared_l2_store_read_mean_ms", 0.6), entry("shared_l2_store_read_within_2ms_share", 0.9925),
                entry("shared_l2_store_read_p99_ms", 2.0));
    }

    @Test
    void theP99IsTheBoundOfTheFirstBucketReachingNinetyNinePercent() {
        Map<String, Object> figures = SharedL2Stage.storeReadFigures(reading(1000, 1900, 2000, 2000, 2.0));
        assertThat(figures).contains(entry("shared_l2_store_read_p99_ms", 2.446676),
                entry("shared_l2_store_read_within_2ms_share", 0.95));
    }

    @Test
    void noTimerGivesNoCountAndNaNFigures() {
        Map<String, Object> figures = SharedL2Stage.storeReadFigures(PrometheusHistogram.empty()
                .minus(PrometheusHistogram.empty()));
        assertThat(figures).containsEntry("shared_l2_store_read_count", 0L);
        assertThat((Double) figures.get("shared_l2_store_read_p99_ms")).isNaN();
        assertThat((Double) figures.get("shared_l2_store_read_mean_ms")).isNaN();
        assertThat((Double) figures.get("shared_l2_store_read_within_2ms_share")).isNaN();
    }
}
