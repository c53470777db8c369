package io.sfgateway.tokenexchange.shared;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.ReactiveRedisClusterConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnection;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import reactor.core.publisher.Mono;

/**
 * Hands out one reactive connection, obtained once off the event loop, to every template call.
 *
 * <p>Why not the application's factory directly: Lettuce's factory hands each call its shared
 * native connection from behind a lock and, while that connection does not exist yet (Redis down
 * at start-up), connects synchronously; either would block an event loop. The connection held
 * here wraps that shared native connection, which Lettuce reconnects in the background on its
 * own; closing it is a no-op, since it outlives every call.
 */
final class HeldConnectionFactory implements ReactiveRedisConnectionFactory {

    private final ReactiveRedisConnectionFactory delegate;
    private final ReactiveRedisConnection held;

    /** Obtains the connection now: call it off the event loop. */
    HeldConnectionFactory(ReactiveRedisConnectionFactory delegate) {
        this.delegate = delegate;
        ReactiveRedisConnection connection = delegate.getReactiveConnection();
        this.held = (ReactiveRedisConnection) Proxy.newProxyInstance(ReactiveRedisConnection.class.getClassLoader(),
                new Class<?>[] {ReactiveRedisConnection.class}, uncloseable(connection));
    }

    private static InvocationHandler uncloseable(ReactiveRedisConnection connection) {
        return (proxy, method, args) -> switch (method.getName()) {
            case "close" -> null;
            case "closeLater" -> Mono.empty();
            default -> {
                try {
                    yield method.invoke(connection, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        };
    }

    @Override
    public ReactiveRedisConnection getReactiveConnection() {
        return held;
    }

    @Override
    public ReactiveRedisClusterConnection getReactiveClusterConnection() {
        throw new UnsupportedOperationException("the shared session store uses a standalone or sentinel connection");
    }

    @Override
    public DataAccessException translateExceptionIfPossible(RuntimeException ex) {
        return delegate.translateExceptionIfPossible(ex);
    }
}
