package io.sfgateway.loadtests.bench;

import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.sfgateway.loadtests.support.HostStats;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * An open model at a fixed arrival rate for one URL, the bench's one open-model load generator: request {@code i} is due
 * at {@code start + i / rate} and is sent then, whatever the earlier ones are doing; latency is measured from when
 * it was due (so a stalled server, or a late client, is not hidden) into an HdrHistogram in microseconds. Bearer
 * tokens are taken in turn from a list.
 *
 * <p>The client is Reactor Netty's {@link HttpClient} (on this class path through Spring), chosen for its cost: it
 * shares two cores with the gateways it measures. One event-loop thread of its own, HTTP/1.1 keep-alive connections
 * from a pool of at most {@value #CONNECTIONS} to the target, each request's {@code Authorization} header set on the
 * request itself, the answer's body drained and released unread. The pacing thread only parks until the next due
 * time and subscribes to every request due by then (due times are computed from the start, so they never drift).
 * Requests in flight are bounded by {@value #MAX_IN_FLIGHT}: one more is not sent and counts as an error, so a
 * stalled server never blocks the pacing. (The {@code java.net.http.HttpClient} it replaced cost 400-800 µs of CPU
 * per request, as much as a gateway, so the machine queued and the latencies were the client's.)
 *
 * <p>Why not a packaged tool: wrk has no open model and wrk2 is not packaged by the distribution; Gatling's open
 * injection ({@code constantUsersPerSec}) records response times in whole milliseconds, too coarse for a 0.5 ms
 * target at sub-millisecond latencies.
 */
final class FixedRateLoad {

    /**
     * One fixed-rate run. Latencies in milliseconds; {@code errors} counts non-200, failures and skipped sends;
     * {@code clientCpuUs}: this JVM's CPU time per request sent while measuring (warm-in left out), what the load
     * generator itself costs the machine.
     */
    record Result(String label, double rate, long requests, long errors, double p50, double p99, double p999,
            double max, double clientCpuUs) {
    }

    /** Connections to the target at most (HTTP/1.1, kept alive); the pool opens only as many as are busy at once. */
    static final int CONNECTIONS = 128;

    /** Requests in flight at most (sent or waiting for a connection); one more is not sent and counts as an error. */
    static final int MAX_IN_FLIGHT = 256;

    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(15);

    private FixedRateLoad() {
    }

    /**
     * Sends GET {@code url} at {@code rate} per second for {@code warmIn + duration}; only requests due after
     * {@code warmIn} (connections opened, code paths compiled) are measured.
     */
    static Result run(String label, String url, List<String> tokens, double rate, Duration warmIn,
            Duration duration) {
        LoopResources loop = LoopResources.create("fixed-rate", 1, true);
        ConnectionProvider pool = ConnectionProvider.builder("fixed-rate").maxConnections(CONNECTIONS)
                .pendingAcquireMaxCount(MAX_IN_FLIGHT).pendingAcquireTimeout(RESPONSE_TIMEOUT).build();
        try {
            HttpClient.RequestSender get = HttpClient.create(pool).runOn(loop).keepAlive(true)
                    .responseTimeout(RESPONSE_TIMEOUT).option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                    .request(HttpMethod.GET).uri(URI.create(url));
            // One cold publisher per token, built once and subscribed once per request (HttpClient is immutable).
            List<Flux<Integer>> calls = tokens.stream().map(token -> "Bearer " + token)
                    .map(header -> get.send((request, out) -> {
                        request.header(HttpHeaderNames.AUTHORIZATION, header);
                        return Mono.<Void>empty();
                    }).response((response, body) -> body.then(Mono.just(response.status().code()))))
                    .toList();
            return new Pacing(label, rate, warmIn, duration).run(calls);
        } finally {
            pool.disposeLater().block(Duration.ofSeconds(5));
            loop.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(10));
        }
    }

    /** One run's schedule and counts; its {@link Outcome}s complete on the event loop. */
    private static final class Pacing {

        private final String label;
        private final double rate;
        private final long start;
        private final long measureFrom;
        private final long end;
        private final AtomicInteger inFlight = new AtomicInteger();
        private final Recorder recorder = new Recorder(3);
        private final LongAdder measured = new LongAdder();
        private final LongAdder errors = new LongAdder();

        Pacing(String label, double rate, Duration warmIn, Duration duration) {
            this.label = label;
            this.rate = rate;
            this.start = System.nanoTime() + 10_000_000;
            this.measureFrom = start + warmIn.toNanos();
            this.end = measureFrom + duration.toNanos();
        }

        Result run(List<Flux<Integer>> calls) {
            double periodNanos = 1e9 / rate;
            long pid = ProcessHandle.current().pid();
            double cpuFrom = Double.NaN;
            long sentMeasured = 0;
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
                if (measure && Double.isNaN(cpuFrom)) {
                    cpuFrom = HostStats.cpuSeconds(pid);
                }
                if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
                    inFlight.decrementAndGet();
                    if (measure) {
                        errors.increment();
                    }
                    continue;
                }
                if (measure) {
                    sentMeasured++;
                }
                calls.get((int) (i % calls.size())).subscribe(new Outcome(this, due, measure));
            }
            // The answers still on their way; any still missing after the drain time count as not measured.
            try {
                Awaitility.await().atMost(DRAIN_TIMEOUT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                        .until(() -> inFlight.get() == 0);
            } catch (ConditionTimeoutException stillInFlight) {
                // reported through the counts: measured < sent
            }
            double clientCpuUs = (HostStats.cpuSeconds(pid) - cpuFrom) * 1e6 / Math.max(1, sentMeasured);
            Histogram h = recorder.getIntervalHistogram();
            return new Result(label, rate, measured.sum(), errors.sum(), ms(h, 50), ms(h, 99), ms(h, 99.9),
                    h.getTotalCount() == 0 ? Double.NaN : h.getMaxValue() / 1000.0, clientCpuUs);
        }

        void finished(long due, boolean measure, boolean ok) {
            long latency = System.nanoTime() - due;
            inFlight.decrementAndGet();
            if (!measure) {
                return;
            }
            measured.increment();
            if (ok) {
                recorder.recordValue(Math.max(1, latency / 1000));
            } else {
                errors.increment();
            }
        }

        private static double ms(Histogram h, double percentile) {
            return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    /** One request's end: its status once the body is drained (200 counts), or its failure (timeout, refused...). */
    private static final class Outcome implements CoreSubscriber<Integer> {

        private final Pacing pacing;
        private final long due;
        private final boolean measure;
        private int status;

        Outcome(Pacing pacing, long due, boolean measure) {
            this.pacing = pacing;
            this.due = due;
            this.measure = measure;
        }

        @Override
        public void onSubscribe(Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(Integer code) {
            status = code;
        }

        @Override
        public void onError(Throwable failure) {
            pacing.finished(due, measure, false);
        }

        @Override
        public void onComplete() {
            pacing.finished(due, measure, status == 200);
        }
    }
}
