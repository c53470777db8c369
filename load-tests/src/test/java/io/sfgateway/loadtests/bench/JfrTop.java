package io.sfgateway.loadtests.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * The hot frames of a JFR recording ({@code jdk.ExecutionSample}): the top methods by own samples, and the methods
 * of one package (the filter's, {@code io.sfgateway.tokenexchange}) by samples that have them anywhere on the stack.
 *
 * <pre>java -cp ... io.sfgateway.loadtests.bench.JfrTop recording.jfr [package] [top]
 * java -cp ... io.sfgateway.loadtests.bench.JfrTop --diff ours.jfr limit.jfr [top]</pre>
 *
 * {@code --diff} lists the methods whose inclusive share of samples grows most from the second recording to the
 * first: where one gateway spends what the other does not.
 */
public final class JfrTop {

    private JfrTop() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length > 0 && args[0].equals("--diff")) {
            diff(Path.of(args[1]), Path.of(args[2]), args.length > 3 ? Integer.parseInt(args[3]) : 25, System.out);
            return;
        }
        String pkg = args.length > 1 ? args[1] : "io.sfgateway.tokenexchange";
        int top = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        report(Path.of(args[0]), pkg, top, System.out);
    }

    static void report(Path recording, String pkg, int top, PrintStream out) throws IOException {
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> inclusive = new HashMap<>();
        Map<String, Long> threads = new HashMap<>();
        long samples = 0;
        long withPackage = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            String thread = event.getThread("sampledThread") == null ? "?"
                    : event.getThread("sampledThread").getJavaName();
            threads.merge(thread == null ? "?" : thread.replaceAll("-\\d+$", "-N"), 1L, Long::sum);
            List<RecordedFrame> frames = stack.getFrames();
            self.merge(name(frames.get(0).getMethod()), 1L, Long::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame frame : frames) {
                String name = name(frame.getMethod());
                if (name.startsWith(pkg) && seen.add(name)) {
                    inclusive.merge(name, 1L, Long::sum);
                }
            }
            if (!seen.isEmpty()) {
                withPackage++;
            }
        }
        out.printf("%s: %d execution samples; %d (%.1f%%) have %s on the stack%n", recording.getFileName(), samples,
                withPackage, 100.0 * withPackage / Math.max(1, samples), pkg);
        out.println("threads: " + sorted(threads, 6));
        double total = Math.max(1, samples);
        out.println("top frames by own samples:");
        sorted(self, top).forEach((k, v) -> out.printf("  %5.1f%%  %s%n", 100.0 * v / total, k));
        out.println("frames of " + pkg + " by samples that include them (inclusive):");
        sorted(inclusive, top).forEach((k, v) -> out.printf("  %5.1f%%  %s%n", 100.0 * v / total, k));
    }

    static void diff(Path first, Path second, int top, PrintStream out) throws IOException {
        Map<String, Double> a = inclusiveShares(first);
        Map<String, Double> b = inclusiveShares(second);
        Map<String, Long> delta = new HashMap<>();
        a.forEach((k, v) -> delta.put(k, Math.round((v - b.getOrDefault(k, 0.0)) * 1000)));
        out.printf("inclusive share of samples, %s minus %s (percentage points):%n", first.getFileName(),
                second.getFileName());
        sorted(delta, top).forEach((k, v) -> out.printf("  %+5.1f  (%4.1f vs %4.1f)  %s%n", v / 10.0,
                a.get(k) * 100, b.getOrDefault(k, 0.0) * 100, k));
    }

    private static Map<String, Double> inclusiveShares(Path recording) throws IOException {
        Map<String, Long> inclusive = new HashMap<>();
        long samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                continue;
            }
            samples++;
            Set<String> seen = new HashSet<>();
            for (RecordedFrame frame : event.getStackTrace().getFrames()) {
                String name = name(frame.getMethod());
                if (seen.add(name)) {
                    inclusive.merge(name, 1L, Long::sum);
                }
            }
        }
        Map<String, Double> shares = new HashMap<>();
        long total = Math.max(1, samples);
        inclusive.forEach((k, v) -> shares.put(k, v / (double) total));
        return shares;
    }

    private static String name(RecordedMethod method) {
        return method == null ? "?" : method.getType().getName() + "." + method.getName();
    }

    private static Map<String, Long> sorted(Map<String, Long> counts, int top) {
        Map<String, Long> result = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
                .forEach(e -> result.put(e.getKey(), e.getValue()));
        return result;
    }
}
