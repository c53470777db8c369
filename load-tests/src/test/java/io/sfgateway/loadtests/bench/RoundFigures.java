package io.sfgateway.loadtests.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The rounds' per-round figures, collected for medians: ratios, deltas, per-target latencies, counts. */
final class RoundFigures {

    final List<Double> ratio = new ArrayList<>();
    final List<Double> p99Delta = new ArrayList<>();
    final List<Double> p50Delta = new ArrayList<>();
    final List<Double> peerRatio = new ArrayList<>();
    final List<Double> peerPerRequest = new ArrayList<>();
    final List<Double> cold = new ArrayList<>();
    final List<Double> coldFixed = new ArrayList<>();
    final List<Double> limitAfterWait = new ArrayList<>();
    final List<Double> coldBeyondLimitAfterWait = new ArrayList<>();
    final List<Double> c1WarmP50Delta = new ArrayList<>();
    final List<Double> c1WarmP99Delta = new ArrayList<>();
    final List<Double> gatewayExchange = new ArrayList<>();
    final List<Double> fixedRate = new ArrayList<>();
    final List<Double> fixedP99Delta = new ArrayList<>();
    final List<Double> fixedQuarterRate = new ArrayList<>();
    final List<Double> fixedQuarterP99Delta = new ArrayList<>();
    final List<Double> cpuRatio = new ArrayList<>();
    final List<Double> sideCpuRatio = new ArrayList<>();
    final List<Double> sideRpsRatio = new ArrayList<>();
    final Map<String, List<Double>> sideCpuPerRequest = new LinkedHashMap<>();
    final List<Double> sharedRatio = new ArrayList<>();
    final Map<String, List<Double>> rps = new LinkedHashMap<>();
    final Map<String, List<Double>> p50 = new LinkedHashMap<>();
    final Map<String, List<Double>> p99 = new LinkedHashMap<>();
    final Map<String, List<Double>> c1p50 = new LinkedHashMap<>();
    final Map<String, List<Double>> c1p99 = new LinkedHashMap<>();
    final Map<String, List<Double>> fixed = new LinkedHashMap<>();
    final Map<String, List<Double>> cpuPerRequest = new LinkedHashMap<>();
    final Map<String, List<double[]>> cores = new LinkedHashMap<>();
    long errors;
    long oursWarmExchanges;
    int burstOk;
    long burstMax;

    RoundFigures(List<Round> rounds, int tokenLatencyMs) {
        for (Round r : rounds) {
            add(r, tokenLatencyMs);
        }
    }

    private void add(Round r, int tokenLatencyMs) {
        Wrk.Result o = r.load().get("ours");
        Wrk.Result l = r.load().get("limit");
        Wrk.Result p = r.load().get("peer");
        ratio.add(o.rps() / l.rps());
        p99Delta.add(o.p99() - l.p99());
        p50Delta.add(o.p50() - l.p50());
        peerRatio.add(p.rps() / l.rps());
        peerPerRequest.add(r.saturated().peerExchanges() / r.saturated().peerRestCalls());
        if (r.load().containsKey("shared")) {
            sharedRatio.add(r.load().get("shared").rps() / l.rps());
        }
        gatewayExchange.add(r.latency().gatewayExchangeMeanMs());
        r.load().forEach((k, v) -> {
            add(rps, k, v.rps());
            add(p50, k, v.p50());
            add(p99, k, v.p99());
            errors += v.errors();
        });
        r.saturated().cores().forEach((k, v) -> cores.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        r.saturated().cpuPerRequestUs().forEach((k, v) -> add(cpuPerRequest, k, v));
        Map<String, Double> cpu = r.saturated().cpuPerRequestUs();
        if (cpu.containsKey("ours") && cpu.containsKey("limit")) {
            cpuRatio.add(cpu.get("ours") / cpu.get("limit"));
        }
        SideBySideStage.Result side = r.sideBySide();
        sideCpuRatio.add(side.cpuRatio());
        sideRpsRatio.add(side.rpsRatio());
        add(sideCpuPerRequest, "limit", side.limitCpuUs());
        add(sideCpuPerRequest, "ours", side.oursCpuUs());
        errors += side.limit().errors() + side.ours().errors();
        Map<String, Wrk.Result> lat = r.latency().latency();
        lat.forEach((k, v) -> {
            add(c1p50, k, v.p50());
            add(c1p99, k, v.p99());
            errors += v.errors();
        });
        double coldOverhead = lat.get("ours-cold").p50() - lat.get("exchange").p50() - lat.get("floor").p50();
        cold.add(coldOverhead);
        coldFixed.add(lat.get("ours-cold").p50() - tokenLatencyMs - lat.get("floor").p50());
        if (lat.containsKey("limit-wait") && lat.containsKey("floor-wait")) {
            double hop = lat.get("limit-wait").p50() - lat.get("floor-wait").p50();
            limitAfterWait.add(hop);
            coldBeyondLimitAfterWait.add(coldOverhead - hop);
        }
        c1WarmP50Delta.add(lat.get("ours-warm").p50() - lat.get("limit").p50());
        c1WarmP99Delta.add(lat.get("ours-warm").p99() - lat.get("limit").p99());
        r.fixedRate().forEach((k, v) -> {
            add(fixed, "p50_ms_" + k, v.p50());
            add(fixed, "p99_ms_" + k, v.p99());
            add(fixed, "p999_ms_" + k, v.p999());
            if (!k.endsWith("_quarter")) {
                add(fixed, "client_cpu_us_per_request", v.clientCpuUs());
            }
            errors += v.errors();
        });
        if (!r.fixedRate().isEmpty()) {
            fixedRate.add(r.fixedRate().get("limit").rate());
            fixedP99Delta.add(r.fixedRate().get("ours").p99() - r.fixedRate().get("limit").p99());
        }
        if (r.fixedRate().containsKey("ours_quarter")) {
            fixedQuarterRate.add(r.fixedRate().get("limit_quarter").rate());
            fixedQuarterP99Delta.add(r.fixedRate().get("ours_quarter").p99() - r.fixedRate().get("limit_quarter").p99());
        }
        oursWarmExchanges += r.saturated().oursWarmExchanges();
        burstOk += r.latency().burstOk();
        burstMax = Math.max(burstMax, r.latency().burstExchanges());
    }

    private static void add(Map<String, List<Double>> lists, String key, double value) {
        lists.computeIfAbsent(key, x -> new ArrayList<>()).add(value);
    }

    static double median(List<Double> values, int decimals) {
        return Stats.round(Stats.median(values), decimals);
    }

    static List<Double> rounded(List<Double> values, int decimals) {
        return values.stream().map(v -> Stats.round(v, decimals)).toList();
    }
}
