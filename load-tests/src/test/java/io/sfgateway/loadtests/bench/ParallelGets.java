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

/** Set-up traffic (priming, cold warm-up, bursts): one GET per token, a bounded number in flight. */
final class ParallelGets {

    private ParallelGets() {
    }

    /** GETs {@code url} once per token with at most {@code parallel} in flight; the statuses, in order (-1: none). */
    static List<Integer> run(String url, List<String> tokens, int parallel, Duration timeout) {
        Semaphore inFlight = new Semaphore(parallel);
        List<CompletableFuture<Integer>> futures = new ArrayList<>();
        for (String token : tokens) {
            inFlight.acquireUninterruptibly();
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                    .header("Authorization", "Bearer " + token).GET().build();
            futures.add(Http.client().sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .whenComplete((r, e) -> inFlight.release())
                    .handle((r, e) -> e == null ? r.statusCode() : -1));
        }
        return futures.stream().map(CompletableFuture::join).toList();
    }
}
