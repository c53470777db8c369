package io.sfgateway.loadtests.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Sizes and durations of one benchmark mode: {@code quick} (a smoke run in under 3 minutes, not a measurement) or
 * {@code full} (the reference).
 *
 * @param fixedRate how long each fixed-rate (open model) run lasts
 * @param sharedSubjects subjects warmed through shared gateway A and then asked of gateway B (Redis hits)
 */
record BenchMode(String name, int rounds, Duration warmup, Duration throughput, Duration latency, int connections,
        int subjects, int tokenLatencyMs, int burstUsers, Duration hangProbe, int coldWarmupSubjects,
        Duration fixedRate, int sharedSubjects) {

    static BenchMode quick() {
        return new BenchMode("quick", 3, Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(1), 32,
                300, 50, 200, Duration.ofSeconds(3), 600, Duration.ofSeconds(2), 300);
    }

    static BenchMode full() {
        return new BenchMode("full", 7, Duration.ofSeconds(15), Duration.ofSeconds(12), Duration.ofSeconds(6), 32,
                1000, 50, 200, Duration.ofSeconds(5), 12000, Duration.ofSeconds(10), 2000);
    }

    BenchMode withRounds(int n) {
        return new BenchMode(name, n, warmup, throughput, latency, connections, subjects, tokenLatencyMs, burstUsers,
                hangProbe, coldWarmupSubjects, fixedRate, sharedSubjects);
    }

    /** Sessions the heap harness fills its cache with: 100,000 (the promise's size); fewer in the smoke run. */
    int heapSessions() {
        return isFull() ? 100_000 : 20_000;
    }

    /** The start of each fixed-rate run that is not measured (connections opened, the pool filled). */
    Duration fixedRateWarmIn() {
        return isFull() ? Duration.ofSeconds(1) : Duration.ofMillis(500);
    }

    /**
     * Subjects of the shared store's burst ({@link SharedBurstStage}): each one's first requests sent at once,
     * {@link #sharedBurstPerReplica()} to each of the three replicas.
     */
    int sharedBurstSubjects() {
        return isFull() ? 20 : 3;
    }

    int sharedBurstPerReplica() {
        return 20;
    }

    /**
     * JVM flags of the org and every gateway: {@link BenchTargets#GATEWAY_JVM}; the smoke run adds C1 only
     * ({@code -XX:TieredStopAtLevel=1}), as the Gatling smoke does: it checks behaviour, and seven JVMs booting at
     * once on two cores would otherwise take most of its three minutes.
     */
    List<String> jvm() {
        List<String> flags = new ArrayList<>(BenchTargets.GATEWAY_JVM);
        if (!isFull()) {
            flags.add("-XX:TieredStopAtLevel=1");
        }
        return flags;
    }

    boolean isFull() {
        return name.equals("full");
    }

    /** Requests that hang at once so the breaker opens: its whole sliding window (20 calls) fails. */
    int hangingRequests() {
        return 20;
    }

    /** Cold tokens one latency run can use at most: every cold request waits at least the token latency. */
    int coldTokens() {
        return (int) (latency.toMillis() / tokenLatencyMs) + 40;
    }
}
