package io.sfgateway.tokenexchange.config;

import io.netty.channel.EventLoopGroup;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.HttpResources;

/**
 * Where the library's timeouts and back-offs fire: Reactor Netty's client event loops rather than
 * Reactor's parallel threads, so a timed-out request is answered from an event-loop thread like
 * every other.
 *
 * <p>The loops are looked up on every use, not once. Reactor's {@code Schedulers.fromExecutorService}
 * over {@code HttpResources.get().onClient(true)} would keep the group it was given, and Spring's
 * {@code ReactorResourceFactory} disposes the global loops whenever an application context that
 * uses them closes (another context in the same JVM, a DevTools restart, a test context evicted
 * from the cache); the next {@code HttpResources.get()} makes new ones. A timer kept on the old
 * group would never fire again, and a fetch waiting on it would hang instead of timing out.
 */
final class EventLoopTimer implements Scheduler {

    private record Current(EventLoopGroup group, Scheduler scheduler) {
    }

    private final Supplier<EventLoopGroup> loops;
    private final AtomicReference<Current> current = new AtomicReference<>();

    /** On Reactor Netty's global client loops. */
    EventLoopTimer() {
        this(() -> HttpResources.get().onClient(true));
    }

    /** @param loops the event loops as they are now */
    EventLoopTimer(Supplier<EventLoopGroup> loops) {
        this.loops = loops;
    }

    private Scheduler scheduler() {
        EventLoopGroup group = loops.get();
        Current known = current.get();
        if (known != null && known.group() == group) {
            return known.scheduler();
        }
        Current fresh = new Current(group, Schedulers.fromExecutorService(group, "salesforce-token-exchange-timer"));
        current.set(fresh);
        return fresh.scheduler();
    }

    @Override
    public Disposable schedule(Runnable task) {
        return scheduler().schedule(task);
    }

    @Override
    public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
        return scheduler().schedule(task, delay, unit);
    }

    @Override
    public Disposable schedulePeriodically(Runnable task, long initialDelay, long period, TimeUnit unit) {
        return scheduler().schedulePeriodically(task, initialDelay, period, unit);
    }

    @Override
    public long now(TimeUnit unit) {
        return scheduler().now(unit);
    }

    @Override
    public Worker createWorker() {
        return scheduler().createWorker();
    }

    /** The loops are Reactor Netty's to dispose, not the library's. */
    @Override
    public void dispose() {
    }

    @Override
    public void init() {
    }
}
