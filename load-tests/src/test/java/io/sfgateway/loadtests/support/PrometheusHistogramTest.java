package io.sfgateway.loadtests.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Reads a timer's buckets from the Prometheus text a gateway serves, and the figures the benchmark takes from them. */
class PrometheusHistogramTest {

    private static final String NAME = "salesforce_session_store_read_seconds";

    /** As Micrometer's Prometheus registry writes a timer with a percentile histogram and an SLO at 2 ms. */
    private static String exposition(long hitsWithin1ms, long hitsWithin2ms, long hitsWithin4ms, long hits,
            double hitSeconds) {
        return """
                # HELP salesforce_session_store_read_seconds \s
                # TYPE salesforce_session_store_read_seconds histogram
                salesforce_session_store_read_seconds_bucket{application="gateway",outcome="hit",le="1.0E-4"} 0
                salesforce_session_store_read_seconds_bucket{application="gateway",outcome="hit",le="0.001"} %d
                salesforce_session_store_read_seconds_bucket{le="0.002",outcome="hit",application="gateway"} %d
                salesforce_session_store_read_seconds_bucket{application="gateway",outcome="hit",le="0.004194304"} %d
                salesforce_session_store_read_seconds_bucket{application="gateway",outcome="hit",le="+Inf"} %d
                salesforce_session_store_read_seconds_count{application="gateway",outcome="hit"} %d
                salesforce_session_store_read_seconds_sum{application="gateway",outcome="hit"} %s
                salesforce_session_store_read_seconds_bucket{application="gateway",outcome="miss",le="0.001"} 7
                salesforce_session_store_read_seconds_bucket{application="gateway",outcome="miss",le="0.002"} 7
                salesforce_session_store_read_seconds_bucket{application="gateway",outcome="miss",le="+Inf"} 7
                salesforce_session_store_read_seconds_count{application="gateway",outcome="miss"} 7
                salesforce_session_store_read_seconds_sum{application="gateway",outcome="miss"} 0.0035
                # HELP salesforce_session_store_read_seconds_max \s
                # TYPE salesforce_session_store_read_seconds_max gauge
                salesforce_session_store_read_seconds_max{application="gateway",outcome="hit"} 0.0051
                salesforce_token_exchange_seconds_bucket{application="gateway",outcome="hit",le="0.002"} 999
                salesforce_token_exchange_seconds_count{application="gateway",outcome="hit"} 999
                """.formatted(hitsWithin1ms, hitsWithin2ms, hitsWithin4ms, hits, hits, Double.toString(hitSeconds));
    }

    @Test
    void readsOneLabelsBucketsCountAndSumWhateverTheLabelOrderAndNumberSpelling() {
        PrometheusHistogram hit = PrometheusHistogram.parse(exposition(10, 90, 99, 100, 0.13), NAME, "outcome", "hit");

        assertThat(hit.buckets()).containsKeys(1.0E-4, 0.001, 0.002, 0.004194304, Double.POSITIVE_INFINITY);
        assertThat(hit.countAtOrBelow(0.002)).isEqualTo(90.0);
        assertThat(hit.countAtOrBelow(Double.POSITIVE_INFINITY)).isEqualTo(100.0);
        assertThat(hit.count()).isEqualTo(100.0);
        assertThat(hit.sum()).isCloseTo(0.13, within(1e-12));
        assertThat(hit.mean()).isCloseTo(0.0013, within(1e-12));
        PrometheusHistogram miss = PrometheusHistogram.parse(exposition(10, 90, 99, 100, 0.13), NAME, "outcome",
                "miss");
        assertThat(miss.count()).isEqualTo(7.0);
        assertThat(miss.countAtOrBelow(0.002)).isEqualTo(7.0);
    }

    @Test
    void theDifferenceOfTwoReadingsIsWhatWasObservedInBetween() {
        PrometheusHistogram before = PrometheusHistogram.parse(exposition(5, 40, 50, 50, 0.08), NAME, "outcome", "hit");
        PrometheusHistogram after = PrometheusHistogram.parse(exposition(15, 130, 149, 150, 0.23), NAME, "outcome",
                "hit");

        PrometheusHistogram between = after.minus(before);

        assertThat(between.count()).isEqualTo(100.0);
        assertThat(between.countAtOrBelow(0.002)).isEqualTo(90.0);
        assertThat(between.mean()).isCloseTo(0.0015, within(1e-12));
        // 99 of 100 within 4.194304 ms, 90 within 2 ms: the p99 lies in (2 ms, 4.194304 ms].
        assertThat(between.quantileUpperBound(0.99)).isEqualTo(0.004194304);
        assertThat(between.quantileUpperBound(0.9)).isEqualTo(0.002);
    }

    @Test
    void aQuantileOnlyThePlusInfBucketReachesIsInfinite() {
        PrometheusHistogram hit = PrometheusHistogram.parse(exposition(10, 50, 60, 100, 1.5), NAME, "outcome", "hit");
        assertThat(hit.quantileUpperBound(0.99)).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void anAbsentMetricReadsAsNoObservations() {
        String older = """
                # TYPE salesforce_token_exchange_seconds histogram
                salesforce_token_exchange_seconds_count{outcome="success"} 12.0
                jvm_threads_live_threads 31.0
                """;
        PrometheusHistogram hit = PrometheusHistogram.parse(older, NAME, "outcome", "hit");

        assertThat(hit.count()).isZero();
        assertThat(hit.buckets()).isEmpty();
        assertThat(hit.mean()).isNaN();
        assertThat(hit.countAtOrBelow(0.002)).isNaN();
        assertThat(hit.quantileUpperBound(0.99)).isNaN();
        assertThat(hit.minus(PrometheusHistogram.empty()).count()).isZero();
    }

    @Test
    void sumsTheSeriesThatShareTheLabelAndUnescapesLabelValues() {
        String twoInstances = """
                salesforce_session_store_read_seconds_bucket{outcome="hit",le="0.002",route="a,\\"b\\"}"} 3.0 1700000000000
                salesforce_session_store_read_seconds_bucket{outcome="hit",le="0.002",route="c"} 4.0
                salesforce_session_store_read_seconds_bucket{outcome="hit",le="+Inf",route="c"} 6.0
                salesforce_session_store_read_seconds_count{outcome="hit",route="c"} 6.0
                salesforce_session_store_read_seconds_count{outcome="hit",route="a,\\"b\\"}"} 3.0
                """;
        PrometheusHistogram hit = PrometheusHistogram.parse(twoInstances, NAME, "outcome", "hit");

        assertThat(hit.countAtOrBelow(0.002)).isEqualTo(7.0);
        assertThat(hit.count()).isEqualTo(9.0);
        assertThat(PrometheusHistogram.labels("outcome=\"hit\",route=\"a,\\\"b\\\"}\"")).containsEntry("route",
                "a,\"b\"}");
    }
}
