package io.sfgateway.tokenexchange.shared;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveRedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializationContext;
import org.springframework.data.redis.serializer.RedisSerializer;

/** A plain Redis client beside the replicas under test, to look at (and tamper with) what they stored. */
final class RedisInspector implements AutoCloseable {

    private final LettuceConnectionFactory connections;
    private final ReactiveRedisTemplate<String, byte[]> raw;

    RedisInspector(int port) {
        connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port));
        connections.afterPropertiesSet();
        connections.start();
        raw = new ReactiveRedisTemplate<>(connections, RedisSerializationContext
                .<String, byte[]>newSerializationContext(RedisSerializer.string()).value(RedisSerializer.byteArray()).build());
    }

    /** String keys, raw byte values. */
    ReactiveRedisTemplate<String, byte[]> raw() {
        return raw;
    }

    @Override
    public void close() {
        connections.destroy();
    }
}
