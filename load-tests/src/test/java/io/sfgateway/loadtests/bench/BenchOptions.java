package io.sfgateway.loadtests.bench;

import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** {@code bench.sh}'s options (picocli), one object for the runner and its stages. */
final class BenchOptions {

    /** {@code --quick} (the default: a smoke run) or {@code --full} (the measurement). */
    static final class Length {
        @Option(names = "--quick", description = "a smoke run in a few minutes: NOT a measurement")
        boolean quick;
        @Option(names = "--full", description = "the measurement: 7 rounds after the JIT has settled")
        boolean full;
    }

    @ArgGroup(exclusive = true)
    Length length = new Length();

    @Option(names = "--explore", description = "also the peer gateway, floor and peer under saturation, the limit,"
            + " ours warm and peer at one connection, the half-rate fixed-rate runs and profiles (JFR, or"
            + " async-profiler with --async-profiler)")
    boolean explore;

    @Option(names = "--rounds", description = "rounds instead of the mode's")
    Integer rounds;

    @Option(names = "--no-shared", description = "leave out the shared store (redis-server and three gateways)")
    boolean noShared;

    @Option(names = "--async-profiler", description = "libasyncProfiler.so: --explore's profiles as collapsed stacks")
    String asyncProfiler;

    @Option(names = "--profile-seconds", defaultValue = "20", description = "length of each profile (--explore)")
    int profileSeconds;

    @Option(names = "--out", defaultValue = "target/bench")
    Path out;

    @Option(names = "--gateway-jar", required = true)
    Path gatewayJar;

    @Option(names = "--emulator-jar", required = true)
    Path emulatorJar;

    @Option(names = "--peer-jar", description = "the peer gateway's jar (--explore)")
    Path peerJar;

    @Option(names = "--wrk", defaultValue = "wrk")
    String wrk;

    @Option(names = "--command", description = "the command line, for summary.json")
    String command;

    BenchMode mode() {
        BenchMode mode = length.full ? BenchMode.full() : BenchMode.quick();
        return rounds == null ? mode : mode.withRounds(rounds);
    }

    boolean shared() {
        return !noShared;
    }
}
