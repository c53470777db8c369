package io.sfgateway.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.util.function.Tuple2;
import reactor.util.function.Tuples;

/**
 * Evicting a user through the running gateways, with the shared store on a real redis-server: a
 * registration that keys sessions by {@code email}, the eviction made on one gateway and checked on
 * the other, against an exchange in flight, a replayed old value, a replayed notice and Redis down.
 * Exchanges are counted by the org.
 */
class SessionEvictionTest {

    private static final String QUERY = "/services/data/v62.0/query?q=SELECT+Id+FROM+Account";
    private static final HttpClient HTTP = HttpClient.create().responseTimeout(Duration.ofSeconds(20));

    @Test
    void anEvictionSticksOnEveryGatewayWhateverComesBack() {
        try (EmbeddedRedis redis = new EmbeddedRedis(); EmulatedOrg emulated = new EmulatedOrg(true)) {
            RedisClient client = redis.client();
            Map<String, String> variables = variables(redis);
            try (ConfigurableApplicationContext first = SharedSessionStoreTest.runWithVariables(emulated, variables);
                    ConfigurableApplicationContext second = SharedSessionStoreTest.runWithVariables(emulated, variables);
                    StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE);
                    StatefulRedisPubSubConnection<byte[], byte[]> listener = client.connectPubSub(ByteArrayCodec.INSTANCE)) {
                RedisCommands<byte[], byte[]> redisCommands = connection.sync();
                List<byte[]> notices = new CopyOnWriteArrayList<>();
                listener.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void message(byte[] channel, byte[] message) {
                        notices.add(message);
                    }
                });
                listener.sync().subscribe("sfgw:evict".getBytes(StandardCharsets.UTF_8));
                String alice = token(emulated, "alice");

                // Both gateways serve alice with one exchange; her entry in Redis is recorded.
                assertThat(call(first, alice)).isEqualTo(200);
                await().atMost(Duration.ofSeconds(10)).until(() -> entries(redisCommands).size() == 1);
                assertThat(call(second, alice)).isEqualTo(200);
                assertThat(exchanges(emulated, "alice")).isEqualTo(1);
                byte[] entry = entries(redisCommands).get(0);
                byte[] recorded = redisCommands.get(entry);

                // Evicted by sub on the first gateway, although the registration keys sessions by email.
                assertThat(evict(first, emulated, "alice")).isEqualTo(Tuples.of(200, 1L));
                await().atMost(Duration.ofSeconds(10)).until(() -> !notices.isEmpty());
                // Someone with write access to Redis puts the old value back.
                redisCommands.set(entry, recorded);
                assertThat(call(second, alice)).isEqualTo(200);
                assertThat(exchanges(emulated, "alice")).as("neither the second gateway nor Redis served her old session")
                        .isEqualTo(2);
                assertThat(call(first, alice)).isEqualTo(200);
                assertThat(exchanges(emulated, "alice")).as("the new session is shared").isEqualTo(2);

                // The recorded notice replayed: nobody drops her new session (no read from Redis, no exchange).
                long reads = reads(first) + reads(second);
                redisCommands.publish("sfgw:evict".getBytes(StandardCharsets.UTF_8), notices.get(0));
                assertThat(call(first, alice)).isEqualTo(200);
                assertThat(call(second, alice)).isEqualTo(200);
                assertThat(reads(first) + reads(second)).as("served from each gateway's own memory").isEqualTo(reads);
                assertThat(exchanges(emulated, "alice")).isEqualTo(2);

                // An exchange in flight on the first gateway while the second evicts her.
                String bob = token(emulated, "bob");
                emulated.emulator().controls().tokenLatency(Duration.ofMillis(1500));
                Mono<Integer> inFlight = callLater(first, bob).cache();
                inFlight.subscribe();
                await().atMost(Duration.ofSeconds(5)).until(() -> keys(redisCommands, "sfgw:l:*").size() == 1);
                assertThat(evict(second, emulated, "bob").getT1()).isEqualTo(200);
                assertThat(inFlight.block(Duration.ofSeconds(10))).as("the caller in flight is answered").isEqualTo(200);
                emulated.emulator().controls().tokenLatency(Duration.ZERO);
                await().atMost(Duration.ofSeconds(10)).until(() -> keys(redisCommands, "sfgw:l:*").isEmpty());
                assertThat(call(second, bob)).isEqualTo(200);
                assertThat(call(first, bob)).isEqualTo(200);
                assertThat(exchanges(emulated, "bob")).as("the session begun before the eviction is served nowhere")
                        .isEqualTo(2);

                // Redis down: the eviction cannot reach the other gateway, and says so.
                redis.stop();
                assertThat(evict(first, emulated, "alice").getT1()).isEqualTo(503);
            } finally {
                client.shutdown();
            }
        }
    }

    private static Map<String, String> variables(EmbeddedRedis redis) {
        Map<String, String> variables = new LinkedHashMap<>(SharedSessionStoreTest.storeVariables(redis));
        variables.put("IDP_SUBJECT_CLAIM", "email");
        variables.put("MANAGEMENT_ENDPOINT_SALESFORCESESSIONS_ACCESS", "unrestricted");
        variables.put("MANAGEMENT_ENDPOINTS_WEB_EXPOSURE_INCLUDE", "health,prometheus,salesforcesessions");
        return variables;
    }

    private static String token(EmulatedOrg emulated, String subject) {
        return emulated.emulator().idp().mintToken(subject, EmulatedOrg.AUDIENCE, Duration.ofHours(1),
                Map.of("email", subject + "@example.com"));
    }

    private static long exchanges(EmulatedOrg emulated, String subject) {
        return emulated.emulator().counters().exchanges(subject);
    }

    private static List<byte[]> entries(RedisCommands<byte[], byte[]> commands) {
        return keys(commands, "sfgw:s:*");
    }

    private static List<byte[]> keys(RedisCommands<byte[], byte[]> commands, String pattern) {
        return commands.scan(ScanArgs.Builder.matches(pattern).limit(1000)).getKeys();
    }

    private static int call(ConfigurableApplicationContext gateway, String token) {
        return callLater(gateway, token).block(Duration.ofSeconds(20));
    }

    private static Mono<Integer> callLater(ConfigurableApplicationContext gateway, String token) {
        return HTTP.headers(headers -> headers.set("Authorization", "Bearer " + token))
                .get().uri("http://127.0.0.1:" + SharedSessionStoreTest.port(gateway, "local.server.port") + QUERY)
                .responseSingle((response, body) -> body.then(Mono.just(response.status().code())));
    }

    /** The eviction endpoint's status and its {@code evicted} count (-1 when absent). */
    private static Tuple2<Integer, Long> evict(ConfigurableApplicationContext gateway, EmulatedOrg emulated, String subject) {
        String json = "{\"issuer\":\"" + emulated.emulator().idp().issuer() + "\",\"subject\":\"" + subject + "\"}";
        return HTTP.headers(headers -> headers.set("Content-Type", "application/json"))
                .post().uri(management(gateway) + "/actuator/salesforcesessions")
                .send(Mono.just(io.netty.buffer.Unpooled.copiedBuffer(json, StandardCharsets.UTF_8)))
                .responseSingle((response, body) -> body.asString().defaultIfEmpty("").map(text -> Tuples.of(
                        response.status().code(), text.matches("(?s).*\"evicted\":\\d+.*")
                                ? Long.parseLong(text.replaceAll("(?s).*\"evicted\":(\\d+).*", "$1")) : -1L)))
                .block(Duration.ofSeconds(20));
    }

    /** Reads from Redis on a local miss, any outcome ({@code salesforce_session_store_read_seconds_count}). */
    private static long reads(ConfigurableApplicationContext gateway) {
        String prometheus = HTTP.get().uri(management(gateway) + "/actuator/prometheus")
                .responseSingle((response, body) -> body.asString()).block(Duration.ofSeconds(20));
        return prometheus.lines().filter(line -> line.startsWith("salesforce_session_store_read_seconds_count{"))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static String management(ConfigurableApplicationContext gateway) {
        return "http://127.0.0.1:" + SharedSessionStoreTest.port(gateway, "local.management.port");
    }
}
