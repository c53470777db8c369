package io.sfgateway.loadtests.bench;

import io.sfgateway.loadtests.support.Jcmd;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The soak's outputs: {@code samples.csv} (a row per sample, written as it is taken), and at the end the
 * post-warm-up statistics of each sampled series, the verdict, {@code summary.json} and {@code summary.md}.
 *
 * <p>"Flat" is judged on the samples after the warm-up: the mean of their last third may exceed the mean of their
 * first third by at most a tolerance, and so may the least-squares slope projected over the whole post-warm-up
 * window. Tolerances: live heap max(5 %, 4 MiB); sockets and connections max(25 %, 4); threads max(10 %, 4).
 */
final class SoakReport {

    /** A series judged for flatness: column, relative and absolute tolerance. */
    record Flat(String column, double relative, double absolute) {
    }

    static final List<Flat> FLAT = List.of(
            new Flat("heap_live_bytes", 0.05, 4 * 1024 * 1024),
            new Flat("threads_live", 0.10, 4),
            new Flat("socket_fds", 0.25, 4),
            new Flat("conns_org", 0.25, 4),
            new Flat("conns_in", 0.25, 4));

    /** Series summarised (first, last, min, max, thirds, slope) but not judged. */
    static final List<String> INFO = List.of("cpu_gateway", "cpu_machine", "gc_pause_ms", "heap_used_bytes",
            "cached_sessions", "verified_tokens", "threads_os", "fds", "close_wait", "conns_idp", "rss_bytes",
            "nonheap_bytes", "direct_buffer_bytes");

    private final Path out;
    private final List<Map<String, Object>> rows = new ArrayList<>();
    private BufferedWriter csv;

    SoakReport(Path out) {
        this.out = out;
    }

    List<Map<String, Object>> rows() {
        return rows;
    }

    /** Appends a sample to samples.csv (header first) and keeps it. */
    synchronized void add(Map<String, Object> row) throws IOException {
        if (csv == null) {
            csv = Files.newBufferedWriter(out.resolve("samples.csv"), StandardCharsets.UTF_8);
            csv.write(String.join(",", row.keySet()));
            csv.newLine();
        }
        csv.write(row.values().stream().map(SoakReport::csvCell).collect(Collectors.joining(",")));
        csv.newLine();
        csv.flush();
        rows.add(row);
    }

    synchronized void closeCsv() throws IOException {
        if (csv != null) {
            csv.close();
        }
    }

    private static String csvCell(Object value) {
        String s = value instanceof Double ? String.format(Locale.ROOT, "%.3f", (Double) value) : String.valueOf(value);
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /** Samples taken at or after {@code warmupSeconds}. */
    List<Map<String, Object>> postWarmup(double warmupSeconds) {
        return rows.stream().filter(r -> ((Number) r.get("t_s")).doubleValue() >= warmupSeconds).toList();
    }

    /** first, last, min, max, first-third and last-third means, slope per minute of one column. */
    static Map<String, Object> series(List<Map<String, Object>> rows, String column) {
        Map<String, Object> s = new LinkedHashMap<>();
        if (rows.isEmpty()) {
            return s;
        }
        double[] t = rows.stream().mapToDouble(r -> ((Number) r.get("t_s")).doubleValue() / 60).toArray();
        double[] y = rows.stream().mapToDouble(r -> ((Number) r.get(column)).doubleValue()).toArray();
        int third = (y.length + 2) / 3;
        s.put("first", y[0]);
        s.put("last", y[y.length - 1]);
        s.put("min", Arrays.stream(y).min().orElse(Double.NaN));
        s.put("max", Arrays.stream(y).max().orElse(Double.NaN));
        s.put("mean_first_third", Stats.round(mean(y, 0, third), 1));
        s.put("mean_last_third", Stats.round(mean(y, y.length - third, y.length), 1));
        s.put("slope_per_min", Stats.round(slope(t, y), 1));
        s.put("window_min", Stats.round(t[t.length - 1] - t[0], 2));
        return s;
    }

    /** Whether a series is flat by the rule in the class comment; the details for the report. */
    static Map<String, Object> judge(Map<String, Object> series, Flat flat) {
        Map<String, Object> j = new LinkedHashMap<>();
        double first = ((Number) series.get("mean_first_third")).doubleValue();
        double last = ((Number) series.get("mean_last_third")).doubleValue();
        double projected = ((Number) series.get("slope_per_min")).doubleValue()
                * ((Number) series.get("window_min")).doubleValue();
        double tolerance = Math.max(flat.relative() * first, flat.absolute());
        j.put("growth_thirds", Stats.round(last - first, 1));
        j.put("growth_slope_over_window", Stats.round(projected, 1));
        j.put("tolerance", Stats.round(tolerance, 1));
        j.put("pass", last - first <= tolerance && projected <= tolerance);
        return j;
    }

    private static double mean(double[] y, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += y[i];
        }
        return sum / (to - from);
    }

    /** Least-squares slope of y over t. */
    static double slope(double[] t, double[] y) {
        int n = t.length;
        if (n < 2) {
            return 0;
        }
        double mt = mean(t, 0, n);
        double my = mean(y, 0, n);
        double num = 0;
        double den = 0;
        for (int i = 0; i < n; i++) {
            num += (t[i] - mt) * (y[i] - my);
            den += (t[i] - mt) * (t[i] - mt);
        }
        return den == 0 ? 0 : num / den;
    }

    /** The classes whose live bytes grew most between two histograms (bytes and instances). */
    static Map<String, Object> growth(Jcmd.ClassHistogram from, Jcmd.ClassHistogram to, int top) {
        Map<String, Object> grew = new LinkedHashMap<>();
        to.classes().entrySet().stream().filter(e -> !e.getKey().equals("Total"))
                .map(e -> {
                    long[] before = from.classes().getOrDefault(e.getKey(), new long[2]);
                    return Map.entry(e.getKey(), new long[] {e.getValue()[1] - before[1], e.getValue()[0] - before[0]});
                })
                .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).limit(top)
                .forEach(e -> grew.put(e.getKey(), Map.of("bytes", e.getValue()[0], "instances", e.getValue()[1])));
        return grew;
    }

    void writeSummary(Map<String, Object> summary, String markdown) throws IOException {
        tools.jackson.databind.json.JsonMapper json = tools.jackson.databind.json.JsonMapper.builder()
                .enable(tools.jackson.databind.SerializationFeature.INDENT_OUTPUT).build();
        Files.writeString(out.resolve("summary.json"), json.writeValueAsString(summary), StandardCharsets.UTF_8);
        Files.writeString(out.resolve("summary.md"), markdown, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- markdown

    @SuppressWarnings("unchecked")
    static String markdown(Map<String, Object> s, List<Map<String, Object>> rows, double warmupSeconds) {
        StringBuilder md = new StringBuilder();
        Map<String, Object> setup = (Map<String, Object>) s.get("setup");
        Map<String, Object> verdict = (Map<String, Object>) s.get("verdict");
        md.append("# Soak: ").append(Boolean.TRUE.equals(verdict.get("pass")) ? "PASS" : "FAIL").append("\n\n");
        md.append("`").append(setup.get("command")).append("`, finished ").append(setup.get("finished"))
                .append(" (").append(setup.get("wall_seconds")).append(" s in all). ").append(setup.get("load"))
                .append("\n\n");

        md.append("## Verdict\n\n| check | pass | detail |\n|---|---|---|\n");
        ((Map<String, Object>) verdict.get("checks")).forEach((name, v) -> {
            Map<String, Object> check = (Map<String, Object>) v;
            md.append("| ").append(name).append(" | ").append(Boolean.TRUE.equals(check.get("pass")) ? "yes" : "**no**")
                    .append(" | ").append(check.get("detail")).append(" |\n");
        });

        md.append("\n## After the warm-up (").append(fmt(warmupSeconds, 0)).append(" s)\n\n")
                .append("| series | first | last | min | max | mean, first third | mean, last third | slope per min |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        Map<String, Object> series = (Map<String, Object>) s.get("series");
        series.forEach((name, v) -> {
            Map<String, Object> m = (Map<String, Object>) v;
            if (m.isEmpty()) {
                return;
            }
            boolean bytes = name.endsWith("_bytes");
            md.append("| ").append(bytes ? name.replace("_bytes", " (MB)") : name);
            for (String k : List.of("first", "last", "min", "max", "mean_first_third", "mean_last_third",
                    "slope_per_min")) {
                double x = ((Number) m.get(k)).doubleValue();
                md.append(" | ").append(bytes ? fmt(x / 1e6, 2) : fmt(x, x == Math.rint(x) ? 0 : 1));
            }
            md.append(" |\n");
        });

        md.append("\n## Figures\n\n| figure | value |\n|---|---|\n");
        ((Map<String, Object>) s.get("figures")).forEach((k, v) -> md.append("| ").append(k).append(" | ")
                .append(v instanceof Double ? fmt((Double) v, 2) : String.valueOf(v)).append(" |\n"));

        Map<String, Object> growth = (Map<String, Object>) s.get("live_heap_growth_by_class");
        if (growth != null && !growth.isEmpty()) {
            md.append("\n## Live heap, first to last sample after the warm-up: classes that grew most\n\n")
                    .append("| class | bytes | instances |\n|---|---|---|\n");
            growth.forEach((k, v) -> {
                Map<String, Object> g = (Map<String, Object>) v;
                md.append("| `").append(k).append("` | ").append(g.get("bytes")).append(" | ")
                        .append(g.get("instances")).append(" |\n");
            });
        }

        md.append("\n## Samples\n\nEvery ").append(setup.get("sample_seconds")).append(" s; requests and errors per"
                + " interval; latency from when each request was due. Live heap: `GC.class_histogram` total after a full"
                + " GC; heap used: before it. Sessions and verified tokens: live entries of the gateway's two caches."
                + " GC pauses: the gateway's, since the previous sample (its class histogram's full GC included)."
                + " Cores: CPU used over the interval by the gateway and by the whole machine."
                + " Rows before the warm-up end are marked *w*.\n\n");
        String[] cols = {"t_s", "phase", "breaker", "rps", "ok", "cold_503_expected", "errors", "p50_ms", "p99_ms",
            "max_ms", "active_subjects", "heap_live_bytes", "heap_used_bytes", "cached_sessions", "verified_tokens",
            "threads_live", "socket_fds", "conns_in", "conns_org", "close_wait", "rss_bytes", "gc_pause_ms",
            "cpu_gateway", "cpu_machine"};
        md.append("| t s | phase | breaker | rps | 200 | 503 expected | errors | p50 ms | p99 ms | max ms | subjects"
                + " | live heap MB | heap used MB | sessions | verified | threads | sockets | conns in | conns org"
                + " | close_wait | RSS MB | GC pauses ms | cores gateway | cores machine |\n");
        md.append("|").append("---|".repeat(cols.length)).append("\n");
        for (Map<String, Object> row : rows) {
            md.append("|");
            for (String c : cols) {
                Object v = row.get(c);
                String cell;
                if (c.equals("t_s")) {
                    double t = ((Number) v).doubleValue();
                    cell = fmt(t, 0) + (t < warmupSeconds ? " *w*" : "");
                } else if (c.endsWith("_bytes")) {
                    cell = fmt(((Number) v).doubleValue() / 1e6, 1);
                } else if (v instanceof Double) {
                    cell = fmt((Double) v, c.endsWith("_ms") || c.startsWith("cpu_") ? 2 : 0);
                } else {
                    cell = String.valueOf(v);
                }
                md.append(" ").append(cell).append(" |");
            }
            md.append("\n");
        }
        Object kinds = s.get("error_kinds_by_sample");
        if (kinds instanceof Map && !((Map<?, ?>) kinds).isEmpty()) {
            md.append("\nErrors by kind, per sample: ").append(kinds).append("\n");
        }
        return md.toString();
    }

    static String fmt(double value, int decimals) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }
}
