package io.sfgateway.tokenexchange.shared;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import redis.embedded.RedisServer;

/**
 * A real redis-server (the binary packaged in the embedded-redis jar) on a free loopback port,
 * without persistence; it can be stopped and started again on the same port.
 */
public final class EmbeddedRedis implements AutoCloseable {

    private final int port;
    private RedisServer server;

    public EmbeddedRedis() {
        this.port = freePort();
        start();
    }

    public int port() {
        return port;
    }

    public void start() {
        try {
            server = RedisServer.newRedisServer().bind("127.0.0.1").port(port)
                    .setting("save \"\"").setting("appendonly no").build();
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void stop() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
