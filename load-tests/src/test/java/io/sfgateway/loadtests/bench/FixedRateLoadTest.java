package io.sfgateway.loadtests.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The open model: arrivals at the rate asked whatever the server does, latency from each request's due time. */
class FixedRateLoadTest {

    private HttpServer server;
    private final AtomicInteger served = new AtomicInteger();
    private volatile long delayMillis;
    private volatile boolean failEveryTenth;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(64));
        server.createContext("/", exchange -> {
            int n = served.incrementAndGet();
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(failEveryTenth && n % 10 == 0 ? 500 : 200, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/x";
    }

    @Test
    void sendsAtTheRateAndMeasuresOnlyAfterTheWarmIn() {
        FixedRateLoad.Result result = FixedRateLoad.run("t", url(), List.of("a", "b"), 200, Duration.ofMillis(500),
                Duration.ofSeconds(1));
        // 200/s for 1.5 s in all, 1 s of it measured.
        assertThat(served.get()).isBetween(280, 310);
        assertThat(result.requests()).isBetween(190L, 210L);
        assertThat(result.errors()).isZero();
        assertThat(result.p50()).isPositive().isLessThan(result.p99() + 1e-9);
    }

    @Test
    void aSlowServerDoesNotSlowTheArrivalsAndItsTimeIsCounted() {
        delayMillis = 50; // each answer takes 50 ms: a closed loop of a few connections would fall behind
        FixedRateLoad.Result result = FixedRateLoad.run("t", url(), List.of("a"), 200, Duration.ofMillis(200),
                Duration.ofSeconds(1));
        assertThat(result.requests()).isBetween(190L, 210L);
        assertThat(result.p50()).isGreaterThanOrEqualTo(50.0);
    }

    @Test
    void pastTheInFlightBoundRequestsAreErrorsAndThePacingGoesOn() {
        delayMillis = 300; // the server's 64 threads answer about 210 a second: in flight grows past the bound
        long started = System.nanoTime();
        FixedRateLoad.Result result = FixedRateLoad.run("t", url(), List.of("a"), 1000, Duration.ZERO,
                Duration.ofSeconds(1));
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        // Every due request was either sent (and answered 200) or refused at the bound and counted as an error.
        assertThat(result.requests() + result.errors()).isEqualTo(1000);
        assertThat(result.errors()).isGreaterThan(300);
        assertThat(served.get()).isEqualTo((int) result.requests());
        // The pacing never waited for the server: 1 s of arrivals, then only the ones in flight (256 at most).
        assertThat(elapsedMillis).isLessThan(5000);
    }

    @Test
    void answersOtherThan200AreErrors() {
        failEveryTenth = true;
        FixedRateLoad.Result result = FixedRateLoad.run("t", url(), List.of("a"), 200, Duration.ZERO,
                Duration.ofSeconds(1));
        assertThat(result.errors()).isBetween(15L, 25L);
    }
}
