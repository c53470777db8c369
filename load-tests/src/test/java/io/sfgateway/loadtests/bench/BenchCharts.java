package io.sfgateway.loadtests.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The full run's figures as PNG charts (XChart), written next to summary.json: the warm path's latency percentiles
 * of limit and ours loaded at once, CPU per request per round, and the cold path beside the limit's hop after the
 * same wait, per round.
 */
final class BenchCharts {

    static final String LATENCY = "chart-warm-latency.png";
    static final String CPU = "chart-cpu-per-request.png";
    static final String COLD = "chart-cold-path.png";

    private BenchCharts() {
    }

    /** Writes the three charts into {@code dir} from a summary (summary.json's content); their file names. */
    @SuppressWarnings("unchecked")
    static List<String> write(Map<String, Object> summary, Path dir) {
        System.setProperty("java.awt.headless", "true");
        Map<String, Map<String, Object>> percentiles =
                (Map<String, Map<String, Object>>) summary.get("latency_percentiles_ms");
        Map<String, List<Number>> perRound = (Map<String, List<Number>>) summary.get("per_round");
        CategoryChart latency = chart("Warm path, limit and ours loaded at once: latency", "percentile", "ms");
        for (String target : List.of("limit", "ours")) {
            Map<String, Object> p = percentiles.get(target);
            latency.addSeries(target, List.of("p50", "p90", "p99", "p99.9"),
                    List.of(num(p.get("p50")), num(p.get("p90")), num(p.get("p99")), num(p.get("p999"))));
        }
        CategoryChart cpu = chart("CPU per request, limit and ours loaded at once", "round", "µs of CPU per request");
        cpu.addSeries("limit", rounds(perRound.get("cpu_per_request_us_limit")),
                perRound.get("cpu_per_request_us_limit"));
        cpu.addSeries("ours", rounds(perRound.get("cpu_per_request_us_ours")),
                perRound.get("cpu_per_request_us_ours"));
        CategoryChart cold = chart("Cold path (token endpoint at 50 ms) beside the limit's hop after a 50 ms wait",
                "round", "ms at p50");
        List<Number> overhead = perRound.get("cold_overhead_p50_ms");
        cold.addSeries("ours: cold overhead", rounds(overhead), overhead);
        cold.addSeries("limit: one hop after the wait", rounds(overhead),
                perRound.get("limit_overhead_p50_ms_after_wait"));
        cold.addSeries("ours beyond the limit's hop (target 0.75)", rounds(overhead),
                perRound.get("cold_overhead_p50_ms_beyond_limit_after_wait"));
        save(latency, dir.resolve(LATENCY));
        save(cpu, dir.resolve(CPU));
        save(cold, dir.resolve(COLD));
        return List.of(LATENCY, CPU, COLD);
    }

    private static CategoryChart chart(String title, String x, String y) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(500).title(title).xAxisTitle(x)
                .yAxisTitle(y).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        return chart;
    }

    private static List<String> rounds(List<Number> values) {
        return IntStream.rangeClosed(1, values.size()).mapToObj(Integer::toString).toList();
    }

    private static Number num(Object value) {
        return value instanceof Number n ? n : Double.NaN;
    }

    private static void save(CategoryChart chart, Path file) {
        try {
            String name = file.toAbsolutePath().toString();
            BitmapEncoder.saveBitmap(chart, name.substring(0, name.length() - ".png".length()),
                    BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
