package io.sfgateway.loadtests.bench;

import static io.sfgateway.loadtests.bench.BenchLog.log;
import static io.sfgateway.loadtests.support.HostStats.freePorts;

import io.sfgateway.loadtests.support.GatewayArgs;
import io.sfgateway.loadtests.support.Stack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import redis.embedded.RedisServer;

/**
 * The shared session store's set-up: an embedded redis-server on loopback and three replicas, A, B and C, each
 * gateway-app.jar launched exactly as ours (same JVM flags and arguments) with the store turned on the way the ready
 * jar is configured in production, from environment variables: {@code SF_CACHE_SHARED_ENABLED}, {@code _KEY_ID},
 * one {@code SALESFORCE_TOKENEXCHANGE_CACHE_SHARED_KEYS_<ID>} and Spring Boot's {@code SPRING_DATA_REDIS_HOST} and
 * {@code _PORT} (the sealing key so stays off the command line). Every other setting of the store, its timeout
 * included, is left at its default: the contract's promises are about the defaults.
 */
final class SharedStore implements AutoCloseable {

    private final BenchTargets targets;
    private final BenchOptions options;
    private final List<Stack.Gateway> replicas = new ArrayList<>();
    private RedisServer redis;

    SharedStore(BenchTargets targets, BenchOptions options) {
        this.targets = targets;
        this.options = options;
    }

    /** redis-server, then the three replicas (returns while they boot; {@link #awaitReplicas()}). */
    void start() throws IOException {
        int[] ports = freePorts(7);
        redis = RedisServer.newRedisServer().bind("127.0.0.1").port(ports[0]).setting("save \"\"")
                .setting("appendonly no").build();
        redis.start();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Map<String, String> environment = Map.of("SF_CACHE_SHARED_ENABLED", "true", "SF_CACHE_SHARED_KEY_ID", "k1",
                "SALESFORCE_TOKENEXCHANGE_CACHE_SHARED_KEYS_K1", Base64.getEncoder().encodeToString(key),
                "SPRING_DATA_REDIS_HOST", "127.0.0.1", "SPRING_DATA_REDIS_PORT", Integer.toString(ports[0]));
        Stack.Org org = targets.org;
        for (int i = 0; i < 3; i++) {
            int port = ports[1 + 2 * i];
            int management = ports[2 + 2 * i];
            replicas.add(targets.stack.startGateway("shared-" + (char) ('a' + i), options.gatewayJar,
                    new Stack.Ports(port, management), GatewayArgs.ours(port, management, org.url(), org.issuer(),
                            org.jwks(), BenchTargets.EXCHANGE_TIMEOUT, Duration.ofSeconds(10)), environment));
        }
    }

    void awaitReplicas() {
        replicas.forEach(replica -> replica.awaitReady(Duration.ofSeconds(180)));
        log("shared store: replicas A %s, B %s, C %s, one redis-server on loopback", a().url(), b().url(),
                replicas.get(2).url());
    }

    /** Replica A: beside the limit in the rounds (local hits), and where subjects are first seen. */
    Stack.Gateway a() {
        return replicas.get(0);
    }

    /** Replica B: where subjects first seen by A are asked for (local misses that Redis answers). */
    Stack.Gateway b() {
        return replicas.get(1);
    }

    List<Stack.Gateway> replicas() {
        return replicas;
    }

    /** Stops redis-server (the replicas are the stack's to stop). */
    @Override
    public void close() {
        if (redis != null) {
            try {
                redis.stop();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
