package io.sfgateway.loadtests.bench;

import java.util.Locale;

/** The benchmark's progress lines on standard output, stamped with the seconds since it started. */
final class BenchLog {

    private static final long STARTED = System.nanoTime();

    private BenchLog() {
    }

    static void log(String format, Object... args) {
        Object[] all = new Object[args.length + 1];
        all[0] = seconds();
        System.arraycopy(args, 0, all, 1, args.length);
        System.out.printf(Locale.ROOT, "[bench %5.1fs] " + format + "%n", all);
        System.out.flush();
    }

    /** Seconds since the driver started. */
    static double seconds() {
        return (System.nanoTime() - STARTED) / 1e9;
    }
}
