package io.sfgateway.loadtests.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The soak's knobs. Everything not given on the command line is derived from the run's length, so that a short
 * check run has the same shape as the 10-minute run (several flap cycles, subjects arriving and retiring, a steady
 * state after the warm-up).
 *
 * <p>Why the session timeout is short (2 minutes in the full run, not the production 2 hours): with subjects
 * churning, a cache whose entries live 2 hours grows for 2 hours, and "heap flat after warm-up" could not be told
 * apart from a leak in 10 minutes. With a short timeout the cache turns over several times during the run and
 * reaches its steady size (arrivals per second × session lifetime) within the warm-up. A subject stays active for
 * half the timeout, so it never reaches the refresh-ahead point (0.75 × timeout): exactly one exchange per subject,
 * plus one per revocation. A short check run keeps the same timeout and population (so each subject calls as often
 * as in the full run); its cache does not turn over, which it is too short to judge anyway.
 *
 * @param duration how long the load runs (after start-up and priming)
 * @param rate requests per second, issued on schedule (open model)
 * @param newPerSecond subjects arriving per second
 * @param subjectLife how long a subject keeps calling
 * @param sessionTimeout the org's session timeout and the gateway's {@code SF_SESSION_TIMEOUT}
 * @param tokenTtl lifetime of the IdP tokens (subject life + the time a minted token may wait, or the JIT
 *     warm-up for the initial subjects, + slack)
 * @param jitWarmup before the run, warm requests for the initial subjects, 4 at a time, so that the JIT has
 *     compiled the warm path (not measured)
 * @param ramp the rate rises linearly from a tenth to the full rate over this time at the start (a gateway just
 *     started runs interpreted code; at full rate at once it falls behind and its connection pools grow to the
 *     queue it built up)
 * @param warmup samples before this are left out of the verdict
 * @param sampleEvery sampling period
 * @param cycle flap cycle: calm, then the token endpoint fails for {@code faultLength}, then it recovers
 * @param faultOffset when in the cycle the fault starts
 * @param faultLength how long the fault lasts
 * @param revokeOffset when in the cycle a few subjects' sessions are revoked at the org (calm phase)
 * @param revokePerCycle how many
 * @param faults the faults used, one per cycle in turn ({@code POST /__admin/fault?token=...})
 * @param exchangeTimeout the gateway's exchange timeout
 * @param breakerWait the gateway's circuit breaker wait in the open state
 * @param maxInFlight bound on requests in flight (a request that would exceed it is not sent and counted as an error)
 * @param requestTimeout client-side timeout of one request
 */
record SoakSettings(Duration duration, int rate, int newPerSecond, Duration subjectLife, Duration sessionTimeout,
        Duration tokenTtl, Duration jitWarmup, Duration ramp, Duration warmup, Duration sampleEvery, Duration cycle,
        Duration faultOffset, Duration faultLength, Duration revokeOffset, int revokePerCycle, List<String> faults,
        Duration exchangeTimeout, Duration breakerWait, int maxInFlight, Duration requestTimeout) {

    static final int DEFAULT_RATE = 400;

    static SoakSettings from(Map<String, String> opts) {
        long seconds = opts.containsKey("seconds") ? Long.parseLong(opts.get("seconds"))
                : Math.round(Double.parseDouble(opts.getOrDefault("minutes", "10")) * 60);
        if (seconds < 60) {
            throw new IllegalArgumentException("the run must last at least 60 s");
        }
        int rate = Integer.parseInt(opts.getOrDefault("rate", Integer.toString(DEFAULT_RATE)));
        if (rate < 1 || rate > 5000) {
            throw new IllegalArgumentException("--rate must be within 1..5000");
        }
        int newPerSecond = Integer.parseInt(opts.getOrDefault("new-per-second", "10"));
        long timeout = seconds(opts, "session-timeout", 120);
        long life = seconds(opts, "subject-life", timeout / 2);
        if (life * 4 >= timeout * 3) {
            throw new IllegalArgumentException(
                    "--subject-life must stay below 0.75 x --session-timeout (the refresh-ahead point)");
        }
        long cycle = seconds(opts, "cycle", clamp(seconds / 10, 30, 60));
        long faultLength = seconds(opts, "fault-seconds", Math.max(5, cycle / 4));
        long jitWarmup = seconds(opts, "jit-warmup", 15);
        long ramp = seconds(opts, "ramp", clamp(seconds / 10, 10, 60));
        long warmup = seconds(opts, "warmup", clamp(Math.round(seconds * 0.3), ramp + 5, 180));
        long sample = seconds(opts, "sample-seconds", seconds >= 300 ? 10 : 5);
        return new SoakSettings(Duration.ofSeconds(seconds), rate, newPerSecond, Duration.ofSeconds(life),
                Duration.ofSeconds(timeout), Duration.ofSeconds(life + 60), Duration.ofSeconds(jitWarmup),
                Duration.ofSeconds(ramp),
                Duration.ofSeconds(warmup), Duration.ofSeconds(sample), Duration.ofSeconds(cycle),
                Duration.ofSeconds(cycle / 2),
                Duration.ofSeconds(faultLength), Duration.ofSeconds(cycle / 4), 5,
                List.of("HANG", "UNAVAILABLE", "SERVER_ERROR"), Duration.ofSeconds(3), Duration.ofSeconds(10), 512,
                Duration.ofSeconds(10));
    }

    /**
     * How long after a fault ends a cold subject may still get a 503: an exchange started just before the end
     * runs into the timeout, then the breaker stays open for its wait, then half-open lets two calls through.
     */
    Duration grace() {
        return exchangeTimeout.plus(breakerWait).plusSeconds(2);
    }

    /** The rate due {@code elapsed} nanoseconds after the start: ramping up, then fixed. */
    double rateAt(long elapsed) {
        double ramped = ramp.isZero() ? 1 : Math.min(1, elapsed / (double) ramp.toNanos());
        return rate * (0.1 + 0.9 * ramped);
    }

    /** The steady population: arrivals per second × subject life. */
    int population() {
        return (int) (newPerSecond * subjectLife.toSeconds());
    }

    private static long seconds(Map<String, String> opts, String name, long fallback) {
        return opts.containsKey(name) ? Long.parseLong(opts.get(name)) : fallback;
    }

    private static long clamp(long value, long min, long max) {
        return Math.max(min, Math.min(max, value));
    }
}
