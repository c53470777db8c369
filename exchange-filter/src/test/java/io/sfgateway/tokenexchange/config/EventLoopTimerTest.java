package io.sfgateway.tokenexchange.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The library's timer follows Reactor Netty's loops when they are replaced, as they are whenever
 * an application context that used the global loops closes while another keeps running.
 */
class EventLoopTimerTest {

    private final EventLoopGroup first = new DefaultEventLoopGroup(1, new DefaultThreadFactory("first-loops"));
    private final EventLoopGroup second = new DefaultEventLoopGroup(1, new DefaultThreadFactory("second-loops"));
    private final AtomicReference<EventLoopGroup> loops = new AtomicReference<>(first);
    private final EventLoopTimer timer = new EventLoopTimer(loops::get);

    @AfterEach
    void shutDown() {
        first.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        second.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
    }

    @Test
    void aTimeoutFiresOnTheLoopsOfTheMomentEvenAfterTheFirstOnesAreGone() {
        StepVerifier.create(firedOn()).assertNext(thread -> assertThat(thread).startsWith("first-loops")).verifyComplete();

        first.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
        loops.set(second);

        StepVerifier.create(firedOn()).assertNext(thread -> assertThat(thread).startsWith("second-loops"))
                .verifyComplete();
    }

    private Mono<String> firedOn() {
        return Mono.delay(Duration.ofMillis(5), timer).map(tick -> Thread.currentThread().getName());
    }
}
