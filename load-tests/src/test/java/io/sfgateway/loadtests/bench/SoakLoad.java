package io.sfgateway.loadtests.bench;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Fixed arrival rate (open model): request {@code i} is due at {@code start + i / rate} (after a ramp, see
 * {@link SoakSettings#ramp()}) and is sent then, whatever the earlier ones are doing, by one pacing thread; answers
 * arrive asynchronously ({@link HttpClient}, HTTP/1.1).
 * In-flight requests are bounded: a request that would exceed the bound is not sent and counts as an error
 * ({@code in_flight_cap}). Latency is measured from when a request was due, not when it was sent, so a stalled
 * client does not hide a stalled server.
 *
 * <p>Each answer is classified: 200; 503 for a cold subject while the token endpoint is down or the breaker still
 * open (expected); anything else is an error, by kind: {@code 503_cached} (the subject's session was cached),
 * {@code 503_cold_outside_outage}, {@code status_<code>}, {@code client_timeout}, {@code connection_error},
 * {@code client_error}.
 */
final class SoakLoad {

    private final URI target;
    private final SoakSettings settings;
    private final SoakSubjects subjects;
    private final SoakFaults faults;
    private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "soak-http");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient client;
    private final Semaphore inFlight;
    private final Recorder latency = new Recorder(3);
    private final LongAdder due = new LongAdder();
    private final LongAdder issued = new LongAdder();
    private final LongAdder ok = new LongAdder();
    private final LongAdder expected503 = new LongAdder();
    private final LongAdder late = new LongAdder();
    private final LongAdder noSubject = new LongAdder();
    private final AtomicLong maxLagNanos = new AtomicLong();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Histogram total = new Histogram(3);

    SoakLoad(String gatewayUrl, SoakSettings settings, SoakSubjects subjects, SoakFaults faults) {
        this.target = URI.create(gatewayUrl + BenchStack.LIMITS);
        this.settings = settings;
        this.subjects = subjects;
        this.faults = faults;
        this.inFlight = new Semaphore(settings.maxInFlight());
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).executor(executor).build();
    }

    /** Paces requests from {@code start} until {@code end} ({@link Soak#nanos()}); run on its own thread. */
    void run(long start, long end) {
        long next = start;
        while (!Thread.currentThread().isInterrupted()) {
            long now = Soak.nanos();
            if (next >= end) {
                return;
            }
            if (next > now) {
                LockSupport.parkNanos(next - now);
                continue;
            }
            for (int burst = 0; next <= now && next < end && burst < 1000; burst++) {
                long lag = now - next;
                if (lag > 100_000_000L) {
                    late.increment();
                }
                maxLagNanos.accumulateAndGet(lag, Math::max);
                due.increment();
                issue(next);
                next += (long) (1e9 / settings.rateAt(next - start));
            }
        }
    }

    private void issue(long scheduled) {
        SoakSubjects.Subject subject = subjects.pick();
        if (subject == null) {
            noSubject.increment();
            return;
        }
        issued.increment();
        if (!inFlight.tryAcquire()) {
            error("in_flight_cap");
            return;
        }
        try {
            HttpRequest request = HttpRequest.newBuilder(target).timeout(settings.requestTimeout())
                    .header("Authorization", "Bearer " + subject.token()).GET().build();
            client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, failure) -> {
                        inFlight.release();
                        answered(subject, scheduled, response, failure);
                    });
        } catch (RuntimeException e) {
            inFlight.release();
            error("client_error");
        }
    }

    private void answered(SoakSubjects.Subject subject, long scheduled, HttpResponse<Void> response,
            Throwable failure) {
        long done = Soak.nanos();
        latency.recordValue(Math.max(1, (done - scheduled) / 1000));
        if (failure != null) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof HttpTimeoutException) {
                error("client_timeout");
            } else if (cause instanceof ConnectException || cause instanceof IOException) {
                error("connection_error");
            } else {
                error("client_error");
            }
            return;
        }
        int status = response.statusCode();
        if (status == 200) {
            ok.increment();
            subject.ok(scheduled, done);
            subjects.recordOk(subject);
        } else if (status == 503 && subject.cachedAt(scheduled)) {
            error("503_cached");
        } else if (status == 503 && faults.coldOutageAt(scheduled)) {
            expected503.increment();
        } else if (status == 503) {
            error("503_cold_outside_outage");
        } else {
            error("status_" + status);
        }
    }

    private void error(String kind) {
        errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    /** Waits up to {@code timeout} for the requests in flight to finish. */
    boolean drain(Duration timeout) throws InterruptedException {
        if (inFlight.tryAcquire(settings.maxInFlight(), timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            inFlight.release(settings.maxInFlight());
            return true;
        }
        return false;
    }

    void close() {
        executor.shutdownNow();
    }

    /** Cumulative counts (the sampler takes differences). */
    Counts counts() {
        Map<String, Long> byKind = new TreeMap<>();
        errors.forEach((k, v) -> byKind.put(k, v.sum()));
        return new Counts(due.sum(), issued.sum(), ok.sum(), expected503.sum(), byKind, late.sum(),
                noSubject.sum(), settings.maxInFlight() - inFlight.availablePermits(), maxLagNanos.get() / 1e6);
    }

    /** Latencies (µs, from when each request was due) since the last call; also added to the whole run's. */
    synchronized Histogram interval() {
        Histogram h = latency.getIntervalHistogram();
        total.add(h);
        return h;
    }

    synchronized Histogram total() {
        return total.copy();
    }

    /** Cumulative counts: requests issued, answers by class, pacing. */
    record Counts(long due, long issued, long ok, long expected503, Map<String, Long> errors, long late,
            long noSubject, int inFlight, double maxLagMs) {

        long errorTotal() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }

        /** {@code this - before}, error kinds included. */
        Counts minus(Counts before) {
            Map<String, Long> delta = new TreeMap<>();
            errors.forEach((k, v) -> {
                long d = v - before.errors.getOrDefault(k, 0L);
                if (d != 0) {
                    delta.put(k, d);
                }
            });
            return new Counts(due - before.due, issued - before.issued, ok - before.ok,
                    expected503 - before.expected503, delta, late - before.late, noSubject - before.noSubject,
                    inFlight, maxLagMs);
        }
    }
}
