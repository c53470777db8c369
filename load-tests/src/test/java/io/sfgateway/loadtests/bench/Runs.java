package io.sfgateway.loadtests.bench;

import static io.sfgateway.loadtests.bench.BenchLog.log;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every measured run, as the summary's {@code runs} list; warns about errors as they happen. */
final class Runs {

    private final List<Map<String, Object>> runs = new ArrayList<>();

    void record(String kind, int round, String target, Wrk.Result result) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("kind", kind);
        run.put("round", round);
        run.put("target", target);
        run.put("requests", result.requests());
        run.put("rps", Stats.round(result.rps(), 1));
        run.put("p50_ms", result.p50());
        run.put("p90_ms", result.p90());
        run.put("p99_ms", result.p99());
        run.put("p999_ms", result.p999());
        run.put("max_ms", result.max());
        run.put("errors", result.errors());
        run.put("tokens_exhausted", result.exhausted());
        runs.add(run);
        if (result.errors() > 0 || result.exhausted()) {
            log("WARNING %s: %d errors (status %d, socket %d, timeouts %d), tokens exhausted %s", result.label(),
                    result.errors(), result.statusErrors(), result.socketErrors(), result.timeouts(),
                    result.exhausted());
        }
    }

    void record(int round, String target, FixedRateLoad.Result result) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("kind", "fixed-rate");
        run.put("round", round);
        run.put("target", target);
        run.put("rate", Stats.round(result.rate(), 1));
        run.put("requests", result.requests());
        run.put("p50_ms", result.p50());
        run.put("p99_ms", result.p99());
        run.put("p999_ms", result.p999());
        run.put("max_ms", result.max());
        run.put("errors", result.errors());
        run.put("client_cpu_us_per_request", Stats.round(result.clientCpuUs(), 1));
        runs.add(run);
        if (result.errors() > 0) {
            log("WARNING %s: %d errors at a fixed rate", result.label(), result.errors());
        }
    }

    List<Map<String, Object>> all() {
        return runs;
    }
}
