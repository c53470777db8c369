package io.sfgateway.loadtests.bench;

import io.sfgateway.loadtests.support.HostStats;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * An open model at a fixed arrival rate, the soak's method ({@link SoakLoad}) for one URL: request {@code i} is due
 * at {@code start + i / rate} and is sent then by one pacing thread, whatever the earlier ones are doing; latency is
 * measured from when it was due (so a stalled server is not hidden by a stalled client) into an HdrHistogram in
 * microseconds. Bearer tokens are taken in turn from a list.
 *
 * <p>Why not a packaged tool: wrk has no open model and wrk2 is not packaged by the distribution; Gatling's open
 * injection ({@code constantUsersPerSec}) records response times in whole milliseconds, too coarse for a 0.5 ms
 * target at sub-millisecond latencies.
 */
final class FixedRateLoad {

    /**
     * One fixed-rate run. Latencies in milliseconds; {@code errors} counts non-200, failures and skipped sends;
     * {@code clientCpuUs}: this JVM's CPU time per request sent, what the load generator itself costs the machine.
     */
    record Result(String label, double rate, long requests, long errors, double p50, double p99, double p999,
            double max, double clientCpuUs) {
    }

    /** Requests in flight at most; one more would be refused and counted as an error. */
    private static final int MAX_IN_FLIGHT = 256;

    private FixedRateLoad() {
    }

    /**
     * Sends GET {@code url} at {@code rate} per second for {@code warmIn + duration}; only requests due after
     * {@code warmIn} (connections opened, pool filled) are measured.
     */
    static Result run(String label, String url, List<String> tokens, double rate, Duration warmIn,
            Duration duration) {
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "fixed-rate-http");
            t.setDaemon(true);
            return t;
        });
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).executor(executor).build();
        URI target = URI.create(url);
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        Recorder recorder = new Recorder(3);
        LongAdder measured = new LongAdder();
        LongAdder errors = new LongAdder();
        double periodNanos = 1e9 / rate;
        long start = System.nanoTime() + 10_000_000;
        long measureFrom = start + warmIn.toNanos();
        long end = measureFrom + duration.toNanos();
        long sent = 0;
        double cpuBefore = HostStats.cpuSeconds(ProcessHandle.current().pid());
        try {
            for (long i = 0; ; i++) {
                long due = start + (long) (i * periodNanos);
                if (due >= end) {
                    break;
                }
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                boolean measure = due >= measureFrom;
                if (!inFlight.tryAcquire()) {
                    if (measure) {
                        errors.increment();
                    }
                    continue;
                }
                sent++;
                HttpRequest request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + tokens.get((int) (i % tokens.size()))).GET().build();
                client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                    long latency = System.nanoTime() - due;
                    inFlight.release();
                    if (!measure) {
                        return;
                    }
                    measured.increment();
                    if (failure != null || response.statusCode() != 200) {
                        errors.increment();
                    } else {
                        recorder.recordValue(Math.max(1, latency / 1000));
                    }
                });
            }
            // Wait for the answers still on their way.
            if (inFlight.tryAcquire(MAX_IN_FLIGHT, 15, TimeUnit.SECONDS)) {
                inFlight.release(MAX_IN_FLIGHT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            executor.shutdownNow();
        }
        double clientCpuUs = (HostStats.cpuSeconds(ProcessHandle.current().pid()) - cpuBefore) * 1e6
                / Math.max(1, sent);
        Histogram h = recorder.getIntervalHistogram();
        return new Result(label, rate, measured.sum(), errors.sum(), ms(h, 50), ms(h, 99), ms(h, 99.9),
                h.getTotalCount() == 0 ? Double.NaN : h.getMaxValue() / 1000.0, clientCpuUs);
    }

    private static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }
}
