package io.sfgateway.tokenexchange.session;

import java.util.concurrent.atomic.AtomicInteger;

/** Counts the session cache's hits, misses and coalesced requests, as the cache and the service report them. */
class CountingEvents implements SessionEvents {

    final AtomicInteger hits = new AtomicInteger();
    final AtomicInteger misses = new AtomicInteger();
    final AtomicInteger coalesced = new AtomicInteger();

    @Override
    public void hit(String registration) {
        hits.incrementAndGet();
    }

    @Override
    public void miss(String registration) {
        misses.incrementAndGet();
    }

    @Override
    public void coalesced(String registration) {
        coalesced.incrementAndGet();
    }
}
