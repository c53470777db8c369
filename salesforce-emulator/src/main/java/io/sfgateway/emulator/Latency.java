package io.sfgateway.emulator;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;
import reactor.netty.NettyInbound;

/**
 * Injected latency, scheduled on the connection's own event loop with Netty's timer: nothing sleeps, and the
 * answer is then written from the event loop.
 *
 * <p>Not {@code Mono.delay}: its continuation runs on a Reactor parallel thread, and writing a response from there
 * makes Netty 4.2's adaptive buffer allocator, which has no thread-local cache for foreign threads, contend on a
 * {@code StampedLock} and park, a blocking call BlockHound reports.
 */
final class Latency {

    private Latency() {
    }

    /** The event loop that serves this request's connection. */
    static EventExecutor eventLoopOf(NettyInbound request) {
        EventExecutor[] loop = new EventExecutor[1];
        request.withConnection(connection -> loop[0] = connection.channel().eventLoop());
        return loop[0];
    }

    /** Emits the answer {@code latency} after it is ready, on {@code loop}; cancelling cancels the timer. */
    static Mono<Answer> delay(Mono<Answer> answer, Duration latency, EventExecutor loop) {
        if (latency.isZero()) {
            return answer;
        }
        return answer.flatMap(ready -> Mono.<Answer>create(sink -> {
            ScheduledFuture<?> timer = loop.schedule(() -> sink.success(ready), latency.toNanos(),
                    TimeUnit.NANOSECONDS);
            sink.onCancel(() -> timer.cancel(false));
        }));
    }
}
