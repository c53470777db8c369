package io.sfgateway.tokenexchange.shared;

import io.sfgateway.tokenexchange.shared.RedisSessionStoreTest.FakeTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.data.redis.core.ReactiveRedisTemplate;

/**
 * Replicas of the store on one real redis-server for the whole class, flushed before each test:
 * one time for every replica's ticker and clock, moved by the test, and a count of exchanges.
 */
abstract class OnRealRedis {

    static EmbeddedRedis redis;
    static RedisInspector inspector;
    /** String keys, raw values: what the replicas stored, to look at and tamper with. */
    static ReactiveRedisTemplate<String, byte[]> raw;

    final FakeTime time = new FakeTime();
    final AtomicInteger exchanges = new AtomicInteger();
    final List<Replica> replicas = new ArrayList<>();

    @BeforeAll
    static void startRedis() {
        redis = new EmbeddedRedis();
        inspector = new RedisInspector(redis.port());
        raw = inspector.raw();
    }

    @AfterAll
    static void stopRedis() {
        inspector.close();
        redis.close();
    }

    @BeforeEach
    void flush() {
        raw.execute(connection -> connection.serverCommands().flushAll()).blockLast(Duration.ofSeconds(5));
    }

    @AfterEach
    void closeReplicas() {
        replicas.forEach(Replica::close);
    }
}
