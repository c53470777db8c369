package io.sfgateway.gateway;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import redis.embedded.RedisServer;

/**
 * A real redis-server (6.2, packaged in the embedded-redis jar) on a free loopback port, without
 * persistence; it can be stopped and started again on the same port, and given ACL users. The
 * default user stays open: the tests inspect Redis through it.
 */
final class EmbeddedRedis implements AutoCloseable {

    private final int port = freePort();
    private RedisServer server;
    private boolean running;

    EmbeddedRedis() {
        start();
    }

    int port() {
        return port;
    }

    /** A client for the default user. */
    RedisClient client() {
        return RedisClient.create(RedisURI.create("127.0.0.1", port));
    }

    void start() {
        try {
            server = RedisServer.newRedisServer().bind("127.0.0.1").port(port)
                    .setting("save \"\"").setting("appendonly no").build();
            server.start();
            running = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code ACL SETUSER} with these arguments (the user name first), as the default user. */
    void setUser(List<String> arguments) {
        RedisClient client = client();
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            CommandArgs<String, String> args = new CommandArgs<>(StringCodec.UTF8).add("SETUSER");
            arguments.forEach(args::add);
            String reply = connection.sync().dispatch(CommandType.ACL, new StatusOutput<>(StringCodec.UTF8), args);
            if (!"OK".equals(reply)) {
                throw new IllegalStateException("ACL SETUSER answered " + reply);
            }
        } finally {
            client.shutdown();
        }
    }

    /** {@code ACL LOG}: every command, key or channel Redis denied since it started. */
    List<Map<String, Object>> aclLog() {
        RedisClient client = client();
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().aclLog();
        } finally {
            client.shutdown();
        }
    }

    void stop() {
        if (running) {
            running = false;
            try {
                server.stop();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
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
