package io.sfgateway.tokenexchange.shared;

import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ConnectionDeactivatedEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.ReactiveSubscription;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import org.springframework.data.redis.serializer.RedisSerializationContext;
import org.springframework.data.redis.serializer.RedisSerializationContext.SerializationPair;
import org.springframework.data.redis.serializer.RedisSerializer;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * The shared store's line to Redis. It connects off the event loop (retrying in the background
 * while Redis is away, so start-up never waits for it), then holds one subscription to the
 * store's two channels: {@code sfgw:ready} (an entry was written: wake whoever waits for it) and
 * {@code sfgw:evict} (sealed eviction notices for every replica's local cache). Until a
 * connection stands, {@link #connected()} is false and the store works alone.
 */
public final class RedisLink implements AutoCloseable {

    static final String READY = SessionSeal.PREFIX + "ready";
    static final String EVICT = SessionSeal.PREFIX + "evict";
    private static final Duration FIRST_ATTEMPT = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(RedisLink.class);
    private static final SerializationPair<String> STRINGS = SerializationPair.fromSerializer(RedisSerializer.string());
    private static final SerializationPair<byte[]> BYTES = SerializationPair.byteArray();

    private final ReactiveRedisConnectionFactory factory;
    private final Map<String, Sinks.Empty<Void>> waiting = new ConcurrentHashMap<>();
    private volatile ReactiveRedisTemplate<String, byte[]> template;
    private volatile boolean connected;
    private volatile Consumer<byte[]> evictions = notice -> { };
    private Disposable listening;
    private Disposable reconnects;

    public RedisLink(ReactiveRedisConnectionFactory factory) {
        this.factory = factory;
    }

    /**
     * Connects; {@code evictions} hears every sealed eviction notice. Waits (at most
     * {@code FIRST_ATTEMPT}) for the first attempt, so that a replica that reports ready has Redis
     * if Redis is there; after a failed attempt it keeps trying in the background. Call it from
     * the thread starting the application, never an event loop.
     *
     * @param resubscribed runs each time the subscription stands again after it was lost: notices
     *     sent meanwhile were missed (pub/sub keeps nothing for the absent)
     */
    public void start(Consumer<byte[]> evictions, Runnable resubscribed) {
        this.evictions = evictions;
        reconnects = onReconnect(resubscribed);
        AtomicBoolean subscribedBefore = new AtomicBoolean();
        CountDownLatch firstAttempt = new CountDownLatch(1);
        listening = Mono.fromCallable(() -> new HeldConnectionFactory(factory))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMapMany(held -> {
                    template = new ReactiveRedisTemplate<>(held,
                            RedisSerializationContext.<String, byte[]>newSerializationContext(RedisSerializer.string())
                                    .value(BYTES).build());
                    ReactiveRedisMessageListenerContainer container = new ReactiveRedisMessageListenerContainer(held);
                    return container.receiveLater(List.of(new ChannelTopic(READY), new ChannelTopic(EVICT)), STRINGS, BYTES)
                            .doOnNext(subscribed -> {
                                connected = true;
                                firstAttempt.countDown();
                                log.info("Shared session store connected to Redis");
                                if (subscribedBefore.getAndSet(true)) {
                                    resubscribed.run();
                                }
                            })
                            .flatMapMany(messages -> messages)
                            .doFinally(signal -> container.destroyLater().subscribe(null, e -> { }));
                })
                .doOnNext(this::dispatch)
                .doOnError(error -> {
                    connected = false;
                    firstAttempt.countDown();
                    log.warn("Shared session store cannot reach Redis ({}); working alone until it can",
                            error.getClass().getSimpleName());
                })
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(500)).maxBackoff(Duration.ofSeconds(5)))
                .subscribe();
        try {
            firstAttempt.await(FIRST_ATTEMPT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Lettuce reconnects a lost connection by itself and subscribes its channels again, without
     * the subscription above ever seeing an error: its own connection events say when a connection
     * came back after it was lost (any of the client's connections, so at times once too often).
     */
    private Disposable onReconnect(Runnable resubscribed) {
        if (!(factory instanceof LettuceConnectionFactory lettuce) || lettuce.getNativeClient() == null) {
            return null;
        }
        AtomicBoolean lost = new AtomicBoolean();
        return lettuce.getNativeClient().getResources().eventBus().get().subscribe(event -> {
            if (event instanceof ConnectionDeactivatedEvent) {
                lost.set(true);
            } else if (event instanceof ConnectionActivatedEvent && lost.getAndSet(false) && connected) {
                resubscribed.run();
            }
        });
    }

    boolean connected() {
        return connected;
    }

    /** Only once {@link #connected()}. */
    ReactiveRedisTemplate<String, byte[]> template() {
        return template;
    }

    /**
     * Completes when the entry {@code redisKey} is announced as written. Registers at once, so
     * an announcement after this call and before subscription is not lost.
     */
    Mono<Void> written(String redisKey) {
        Sinks.Empty<Void> sink = waiting.computeIfAbsent(redisKey, k -> Sinks.empty());
        return sink.asMono().doFinally(signal -> waiting.remove(redisKey, sink));
    }

    /**
     * Drops the registration {@link #written} made for {@code redisKey} unless a subscriber still
     * waits on it: a wait that ended without ever subscribing (found the entry, took over, gave
     * up) would otherwise leave it here for good.
     */
    void forget(String redisKey) {
        waiting.computeIfPresent(redisKey, (key, sink) -> sink.currentSubscriberCount() == 0 ? null : sink);
    }

    /** How many entries are awaited right now (for tests: nothing stays behind). */
    int awaited() {
        return waiting.size();
    }

    Mono<Long> announceWritten(String redisKey) {
        return template.convertAndSend(READY, redisKey.getBytes(StandardCharsets.UTF_8));
    }

    Mono<Long> announceEviction(byte[] sealedNotice) {
        return template.convertAndSend(EVICT, sealedNotice);
    }

    private void dispatch(ReactiveSubscription.Message<String, byte[]> message) {
        if (READY.equals(message.getChannel())) {
            Sinks.Empty<Void> sink = waiting.remove(new String(message.getMessage(), StandardCharsets.UTF_8));
            if (sink != null) {
                sink.tryEmitEmpty();
            }
        } else {
            try {
                evictions.accept(message.getMessage());
            } catch (RuntimeException e) {
                log.warn("Ignored an eviction notice that could not be applied ({})", e.getClass().getSimpleName());
            }
        }
    }

    @Override
    public void close() {
        connected = false;
        if (listening != null) {
            listening.dispose();
        }
        if (reconnects != null) {
            reconnects.dispose();
        }
    }
}
