package io.sfgateway.loadtests.bench;

import io.sfgateway.loadtests.support.Http;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/** Set-up traffic and bursts (priming, cold warm-up, first requests at once): GETs with a bearer token each. */
final class ParallelGets {

    private ParallelGets() {
    }

    /** GETs {@code url} once per token with at most {@code parallel} in flight; the statuses, in order (-1: none). */
    static List<Integer> run(String url, List<String> tokens, int parallel, Duration timeout) {
        Semaphore inFlight = new Semaphore(parallel);
        List<CompletableFuture<Integer>> futures = new ArrayList<>();
        for (String token : tokens) {
            inFlight.acquireUninterruptibly();
            futures.add(get(url, token, timeout).whenComplete((r, e) -> inFlight.release()));
        }
        return futures.stream().map(CompletableFuture::join).toList();
    }

    /** GETs every one of {@code urls} with the same token, all sent at once; the statuses, in order (-1: none). */
    static List<Integer> atOnce(List<String> urls, String token, Duration timeout) {
        List<CompletableFuture<Integer>> futures = urls.stream().map(url -> get(url, token, timeout)).toList();
        return futures.stream().map(CompletableFuture::join).toList();
    }

    private static CompletableFuture<Integer> get(String url, String token, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Authorization", "Bearer " + token).GET().build();
        return Http.client().sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .handle((r, e) -> e == null ? r.statusCode() : -1);
    }

    /** A pause between stages (not a wait for a condition: nothing to poll). */
    static void pause(Duration duration) {
        try {
            TimeUnit.MILLISECONDS.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
