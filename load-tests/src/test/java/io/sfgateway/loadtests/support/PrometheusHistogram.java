package io.sfgateway.loadtests.support;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One histogram read from a gateway's Prometheus endpoint ({@code /actuator/prometheus}, the text exposition
 * format): its cumulative bucket counts by upper bound ({@code le}), its {@code _count} and {@code _sum}, summed over
 * the series that carry one chosen label value. It exists because the actuator's JSON ({@link ActuatorMetrics})
 * gives a timer's count, total and max but no histogram buckets, and the share of reads within a bound (or a bound on
 * the p99) needs them. Only the lines of the chosen histogram are parsed: {@code name_bucket{labels} value},
 * {@code name_count{labels} value}, {@code name_sum{labels} value} (an optional timestamp after the value ignored),
 * labels in any order, values as Java or Prometheus print them ({@code 12.0}, {@code 1.0E-4}, {@code +Inf}).
 * Prometheus's own text parser lives in the server (Go); the Java client library only writes the format.
 *
 * @param buckets cumulative count per upper bound, ascending ({@code +Inf} as {@link Double#POSITIVE_INFINITY})
 * @param count observations ({@code _count})
 * @param sum sum of the observations in the metric's unit ({@code _sum}; seconds for a timer)
 */
public record PrometheusHistogram(NavigableMap<Double, Double> buckets, double count, double sum) {

    public PrometheusHistogram {
        buckets = Collections.unmodifiableNavigableMap(new TreeMap<>(buckets));
    }

    /** No series matched (the metric absent, e.g. an older gateway, or nothing observed with that label yet). */
    public static PrometheusHistogram empty() {
        return new PrometheusHistogram(new TreeMap<>(), 0, 0);
    }

    /**
     * The histogram {@code name} (the base name, e.g. {@code salesforce_session_store_read_seconds}) from
     * {@code exposition}, over the series whose label {@code label} equals {@code value}; {@link #empty()} when none.
     */
    public static PrometheusHistogram parse(String exposition, String name, String label, String value) {
        NavigableMap<Double, Double> buckets = new TreeMap<>();
        double count = 0;
        double sum = 0;
        for (String raw : exposition.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int close = line.lastIndexOf('}');
            if (brace < 0 || close < brace) {
                continue; // no labels: cannot carry the chosen one
            }
            String metric = line.substring(0, brace);
            String suffix = metric.startsWith(name) ? metric.substring(name.length()) : null;
            if (suffix == null || !(suffix.equals("_bucket") || suffix.equals("_count") || suffix.equals("_sum"))) {
                continue;
            }
            Map<String, String> labels = labels(line.substring(brace + 1, close));
            if (!value.equals(labels.get(label))) {
                continue;
            }
            double sample = number(line.substring(close + 1).strip().split("\\s+")[0]);
            switch (suffix) {
                case "_bucket" -> {
                    if (labels.containsKey("le")) {
                        buckets.merge(number(labels.get("le")), sample, Double::sum);
                    }
                }
                case "_count" -> count += sample;
                default -> sum += sample;
            }
        }
        return new PrometheusHistogram(buckets, count, sum);
    }

    /** This reading less an earlier one of the same histogram: what was observed in between. */
    public PrometheusHistogram minus(PrometheusHistogram before) {
        NavigableMap<Double, Double> diff = new TreeMap<>();
        buckets.forEach((le, n) -> diff.put(le, n - before.buckets.getOrDefault(le, 0.0)));
        return new PrometheusHistogram(diff, count - before.count, sum - before.sum);
    }

    /** The cumulative count of the bucket whose upper bound is exactly {@code le}; NaN when there is no such bucket. */
    public double countAtOrBelow(double le) {
        Double n = buckets.get(le);
        return n == null ? Double.NaN : n;
    }

    /**
     * The upper bound of the first bucket whose cumulative count reaches {@code quantile} of all observations: an
     * upper bound on that quantile, as fine as the buckets (the true value lies between the previous bound and this
     * one); NaN with no observations, {@code +Inf} when only the {@code +Inf} bucket reaches it.
     */
    public double quantileUpperBound(double quantile) {
        double total = count > 0 ? count : buckets.isEmpty() ? 0 : buckets.lastEntry().getValue();
        if (total <= 0) {
            return Double.NaN;
        }
        for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
            if (bucket.getValue() >= quantile * total) {
                return bucket.getKey();
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    /** {@code _sum ÷ _count}; NaN with no observations. */
    public double mean() {
        return count > 0 ? sum / count : Double.NaN;
    }

    /** Label pairs {@code k="v",k2="v2"}, values unescaped ({@code \\}, {@code \"}, {@code \n}). */
    static Map<String, String> labels(String text) {
        Map<String, String> labels = new LinkedHashMap<>();
        int i = 0;
        while (i < text.length()) {
            int eq = text.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = text.substring(i, eq).strip();
            int quote = text.indexOf('"', eq);
            StringBuilder value = new StringBuilder();
            int j = quote + 1;
            for (; j < text.length() && text.charAt(j) != '"'; j++) {
                char c = text.charAt(j);
                if (c == '\\' && j + 1 < text.length()) {
                    char next = text.charAt(++j);
                    value.append(next == 'n' ? '\n' : next);
                } else {
                    value.append(c);
                }
            }
            labels.put(key, value.toString());
            int comma = text.indexOf(',', j);
            i = comma < 0 ? text.length() : comma + 1;
        }
        return labels;
    }

    /** A sample value or bound: Java's and Go's spellings of numbers, {@code +Inf}, {@code -Inf}, {@code NaN}. */
    static double number(String text) {
        return switch (text) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }
}
