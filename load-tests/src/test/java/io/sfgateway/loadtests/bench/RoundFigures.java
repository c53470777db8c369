package io.sfgateway.loadtests.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The rounds' figures, one value per round, for medians and charts. */
final class RoundFigures {

    /** Per-round values by figure name, in the order first met. */
    final Map<String, List<Double>> perRound = new LinkedHashMap<>();
    long errors;
    int burstOk;
    long burstMax;

    RoundFigures(List<Round> rounds) {
        rounds.forEach(this::add);
    }

    private void add(Round r) {
        SideBySideStage.Pair ours = r.ours();
        put("cpu_per_request_ratio", ours.cpuRatio());
        put("cpu_per_request_us_limit", ours.limitCpuUs());
        put("cpu_per_request_us_ours", ours.cpuUs());
        put("warm_rps_ratio_vs_limit", ours.rpsRatio());
        put("warm_p99_delta_ms", ours.p99Delta());
        percentiles("limit", ours.limit());
        percentiles("ours", ours.result());
        errors += ours.limit().errors() + ours.result().errors();
        if (r.shared() != null) {
            put("shared_warm_rps_ratio_vs_limit", r.shared().rpsRatio());
            put("shared_cpu_per_request_ratio", r.shared().cpuRatio());
            errors += r.shared().limit().errors() + r.shared().result().errors();
        }
        Map<String, Wrk.Result> lat = r.latency().latency();
        lat.forEach((target, result) -> {
            put("c1_p50_ms_" + target.replace('-', '_'), result.p50());
            errors += result.errors();
        });
        double coldOverhead = lat.get("ours-cold").p50() - lat.get("exchange").p50() - lat.get("floor").p50();
        double hop = lat.get("limit-wait").p50() - lat.get("floor-wait").p50();
        put("cold_overhead_p50_ms", coldOverhead);
        put("limit_overhead_p50_ms_after_wait", hop);
        put("cold_overhead_p50_ms_beyond_limit_after_wait", coldOverhead - hop);
        r.fixedRate().forEach((target, result) -> {
            put("fixed_rate_p50_ms_" + target, result.p50());
            put("fixed_rate_p99_ms_" + target, result.p99());
            put("fixed_rate_p999_ms_" + target, result.p999());
            put("fixed_rate_client_cpu_us_" + target, result.clientCpuUs());
            errors += result.errors();
        });
        put("fixed_rate_quarter_rps", r.fixedRate().get("limit").rate());
        put("fixed_rate_quarter_p99_delta_ms", r.fixedRate().get("ours").p99() - r.fixedRate().get("limit").p99());
        if (r.fixedRate().containsKey("ours_half")) {
            put("fixed_rate_half_rps", r.fixedRate().get("limit_half").rate());
            put("fixed_rate_half_p99_delta_ms", r.fixedRate().get("ours_half").p99()
                    - r.fixedRate().get("limit_half").p99());
        }
        r.explored().forEach((key, value) -> put("explore_" + key, ((Number) value).doubleValue()));
        burstOk += r.latency().burstOk();
        burstMax = Math.max(burstMax, r.latency().burstExchanges());
    }

    private void percentiles(String target, Wrk.Result result) {
        put("side_p50_ms_" + target, result.p50());
        put("side_p90_ms_" + target, result.p90());
        put("side_p99_ms_" + target, result.p99());
        put("side_p999_ms_" + target, result.p999());
    }

    private void put(String key, double value) {
        perRound.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }

    /** The median over rounds of {@code key}, rounded; NaN when no round has it. */
    double median(String key, int decimals) {
        return Stats.round(Stats.median(perRound.getOrDefault(key, List.of())), decimals);
    }

    List<Double> rounded(String key, int decimals) {
        return perRound.getOrDefault(key, List.of()).stream().map(v -> Stats.round(v, decimals)).toList();
    }
}
