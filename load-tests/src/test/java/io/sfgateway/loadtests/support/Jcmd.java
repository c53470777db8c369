package io.sfgateway.loadtests.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code jcmd} against a child JVM (the bench's and the soak's one way into a running gateway's heap and recorders):
 * diagnostic commands, and the live-object class histogram parsed.
 */
public final class Jcmd {

    /** One class histogram: class name to {instances, bytes}; "Total" holds the sums. */
    public record ClassHistogram(Map<String, long[]> classes) {

        /** Live heap: the histogram's total bytes. */
        public long bytes() {
            return classes.getOrDefault("Total", new long[2])[1];
        }

        public long instances(String className) {
            return classes.getOrDefault(className, new long[2])[0];
        }
    }

    private static final Pattern HIST_ROW = Pattern.compile("(?m)^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
    private static final Pattern HIST_TOTAL = Pattern.compile("(?m)^Total\\s+(\\d+)\\s+(\\d+)");

    private Jcmd() {
    }

    /** {@code jcmd <pid> <command...>}: its output; fails when jcmd fails or takes over a minute. */
    public static String run(long pid, String... command) {
        List<String> args = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd")
                .toString(),
                // A small, quick-starting JVM for jcmd itself: it runs on a machine under load.
                "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", "-J-Xmx64m", Long.toString(pid)));
        args.addAll(List.of(command));
        try {
            Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("jcmd " + String.join(" ", command) + ": no answer in 60 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + String.join(" ", command) + ": " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** {@code jcmd <pid> GC.class_histogram}: a full GC, then live instances and bytes per class. */
    public static ClassHistogram classHistogram(long pid) {
        String output = run(pid, "GC.class_histogram");
        Map<String, long[]> classes = new HashMap<>();
        Matcher row = HIST_ROW.matcher(output);
        while (row.find()) {
            classes.merge(row.group(3), new long[] {Long.parseLong(row.group(1)), Long.parseLong(row.group(2))},
                    (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
        }
        Matcher total = HIST_TOTAL.matcher(output);
        if (total.find()) {
            classes.put("Total", new long[] {Long.parseLong(total.group(1)), Long.parseLong(total.group(2))});
        }
        return new ClassHistogram(classes);
    }
}
