package io.sfgateway.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.sfgateway.tokenexchange.shared.RedisSessionStore;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.http.client.ReactorResourceFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.util.function.Tuple2;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The ready jar and the shared session store (docs/SCALING.md): off, which is the default, nothing
 * about Redis loads, connects, logs or shows in health; on, from environment variables alone,
 * gateways share each subject's one session through a real redis-server.
 */
@ExtendWith(OutputCaptureExtension.class)
class SharedSessionStoreTest {

    private static final String QUERY = "/services/data/v62.0/query?q=SELECT+Id+FROM+Account";
    private static final String KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
    private static final HttpClient HTTP = HttpClient.create().responseTimeout(Duration.ofSeconds(20));

    @Test
    void offByDefaultNothingAboutRedisLoadsConnectsLogsOrShowsInHealth(CapturedOutput output) throws IOException {
        try (ConnectionTrap trap = new ConnectionTrap();
                EmulatedOrg emulated = new EmulatedOrg();
                // Where Redis would be if anything tried it: the trap counts every connection.
                ConfigurableApplicationContext app = SpringApplication.run(GatewayApplication.class, emulated.gatewayArgs(
                        "--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + trap.port()))) {
            int port = port(app, "local.server.port");
            int management = port(app, "local.management.port");
            assertThat(call(port, emulated.token("alice")).block()).isEqualTo(200);

            JsonNode health = JsonMapper.builder().build().readTree(get(management, "/actuator/health").getT2());
            assertThat(health.path("status").asString()).isEqualTo("UP");
            assertThat(health.path("components").has("ping")).as("health lists its components").isTrue();
            assertThat(health.path("components").has("redis")).as("a redis health component").isFalse();
            assertThat(get(management, "/actuator/health/readiness").getT1()).isEqualTo(200);
            assertThat(get(management, "/actuator/health/redis").getT1()).isEqualTo(404);

            assertThat(app.getBeanNamesForType(RedisSessionStore.class)).isEmpty();
            assertThat(app.getBeanNamesForType(ReactiveRedisConnectionFactory.class)).isEmpty();
            assertThat(app.getBeanNamesForType(RedisConnectionFactory.class)).isEmpty();
            assertThat(app.getBeanNamesForType(io.lettuce.core.resource.ClientResources.class)).isEmpty();
            assertThat(trap.connections()).as("connections to the Redis address").hasValue(0);
            // (The working directory may be named after Redis: a worktree's path is not a log line about it.)
            String logs = output.getAll().replace(System.getProperty("user.dir"), "").toLowerCase(Locale.ROOT);
            assertThat(logs).doesNotContain("redis").doesNotContain("lettuce");
        }
    }

    @Test
    void onFromEnvironmentVariablesTwoGatewaysShareEachSubjectsOneSession() throws IOException {
        int subjects = 200;
        try (EmbeddedRedis redis = new EmbeddedRedis(); EmulatedOrg emulated = new EmulatedOrg(true)) {
            Map<String, String> variables = storeVariables(redis);
            RedisClient client = redis.client();
            try (ConfigurableApplicationContext first = runWithVariables(emulated, variables);
                    ConfigurableApplicationContext second = runWithVariables(emulated, variables);
                    StatefulRedisConnection<String, String> connection = client.connect()) {
                RedisCommands<String, String> commands = connection.sync();
                // Both ready (their start-up round trip to Redis done) before Redis's memory is read.
                for (ConfigurableApplicationContext gateway : List.of(first, second)) {
                    await().atMost(Duration.ofSeconds(30)).until(() ->
                            get(port(gateway, "local.management.port"), "/actuator/health/readiness").getT1() == 200);
                }
                long usedBefore = usedMemory(commands);
                int[] ports = {port(first, "local.server.port"), port(second, "local.server.port")};
                Map<String, String> tokens = new LinkedHashMap<>();
                IntStream.range(0, subjects).forEach(i -> tokens.put("shared-" + i, emulated.token("shared-" + i)));

                // Every subject's first request on both gateways at once, then once more on each.
                for (int round = 0; round < 2; round++) {
                    List<Integer> statuses = Flux.fromIterable(tokens.values())
                            .flatMap(token -> Flux.merge(call(ports[0], token), call(ports[1], token)), 32)
                            .collectList().block(Duration.ofSeconds(60));
                    assertThat(statuses).hasSize(2 * subjects).containsOnly(200);
                }
                Map<String, Long> exchanges = new HashMap<>();
                tokens.keySet().forEach(subject -> exchanges.put(subject, emulated.emulator().counters().exchanges(subject)));
                assertThat(exchanges.values()).as("exchanges per subject, counted by the org").containsOnly(1L);
                // Each gateway's first request per subject is a local miss that reads Redis once, timed by outcome
                // on the Prometheus endpoint, with a bucket at the 2 ms the shared store is held to.
                long reads = 0;
                for (ConfigurableApplicationContext gateway : List.of(first, second)) {
                    String prometheus = get(port(gateway, "local.management.port"), "/actuator/prometheus").getT2();
                    assertThat(prometheus).contains("salesforce_session_store_read_seconds_bucket{")
                            .containsPattern("salesforce_session_store_read_seconds_bucket\\{[^}]*le=\"0\\.002\"");
                    reads += readCount(prometheus, "hit") + readCount(prometheus, "miss");
                    assertThat(readCount(prometheus, "unavailable")).as("reads given up on").isZero();
                }
                assertThat(reads).as("store reads on local misses, both gateways").isEqualTo(2L * subjects);

                List<String> keys = commands.keys("sfgw:s:*");
                assertThat(keys).as("one sealed entry per subject").hasSize(subjects);
                long perEntry = (usedMemory(commands) - usedBefore) / subjects;
                long memoryUsage = keys.stream().mapToLong(key -> commands.memoryUsage(key)).sum() / subjects;
                long valueBytes = keys.stream().mapToLong(commands::strlen).sum() / subjects;
                long clients = commands.clientList().lines().filter(line -> !line.isBlank()).count() - 1; // not this test's
                System.out.printf("Redis memory per session: %d bytes (used_memory growth / %d sessions);"
                        + " MEMORY USAGE %d bytes per key; sealed value %d bytes; %d Redis connections per gateway%n",
                        perEntry, subjects, memoryUsage, valueBytes, clients / 2);
                assertThat(clients).as("Redis connections of the two gateways: commands and pub/sub, each").isEqualTo(4);
                assertThat(memoryUsage).as("MEMORY USAGE per entry").isBetween((long) valueBytes, 1024L);
                assertThat(perEntry).as("used_memory growth per entry").isBetween((long) valueBytes, 2048L);

                for (ConfigurableApplicationContext gateway : List.of(first, second)) {
                    int management = port(gateway, "local.management.port");
                    Tuple2<Integer, String> redisHealth = get(management, "/actuator/health/redis");
                    assertThat(redisHealth.getT1()).as("/actuator/health/redis, at the ready gateway's defaults").isEqualTo(200);
                    assertThat(redisHealth.getT2()).as("status only, no details").isEqualTo("{\"status\":\"UP\"}");
                }
                redis.stop();
                for (ConfigurableApplicationContext gateway : List.of(first, second)) {
                    int management = port(gateway, "local.management.port");
                    assertThat(get(management, "/actuator/health/readiness").getT1()).as("readiness without Redis")
                            .isEqualTo(200);
                    assertThat(call(port(gateway, "local.server.port"), tokens.get("shared-0")).block())
                            .as("a cached subject with Redis down").isEqualTo(200);
                }
            } finally {
                client.shutdown();
            }
        }
    }

    /** The environment variables that turn the shared store on, with {@code redis} and one sealing key. */
    static Map<String, String> storeVariables(EmbeddedRedis redis) {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("SF_CACHE_SHARED_ENABLED", "true");
        variables.put("SF_CACHE_SHARED_KEY_ID", "k1");
        variables.put("SALESFORCE_TOKENEXCHANGE_CACHE_SHARED_KEYS_K1", KEY);
        variables.put("SPRING_DATA_REDIS_HOST", "127.0.0.1");
        variables.put("SPRING_DATA_REDIS_PORT", Integer.toString(redis.port()));
        return variables;
    }

    /** The ready gateway with these environment variables added to the real ones, as a container sets them. */
    static ConfigurableApplicationContext runWithVariables(EmulatedOrg emulated, Map<String, String> variables) {
        String[] args = emulated.gatewayArgs(); // health components are visible by default
        StandardEnvironment environment = new StandardEnvironment();
        Map<String, Object> all = new HashMap<>(System.getenv());
        all.putAll(variables);
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, all));
        SpringApplication application = new SpringApplication(GatewayApplication.class, OwnNettyResources.class);
        application.setEnvironment(environment);
        return application.run(args);
    }

    private static long usedMemory(RedisCommands<String, String> commands) throws IOException {
        Properties memory = new Properties();
        memory.load(new StringReader(commands.info("memory").replace(':', '=')));
        return Long.parseLong(memory.getProperty("used_memory").trim());
    }

    static int port(ConfigurableApplicationContext app, String property) {
        return Integer.parseInt(app.getEnvironment().getProperty(property));
    }

    private static Mono<Integer> call(int port, String token) {
        return HTTP.headers(headers -> headers.set("Authorization", "Bearer " + token))
                .get().uri("http://127.0.0.1:" + port + QUERY)
                .responseSingle((response, body) -> body.then(Mono.just(response.status().code())));
    }

    /** {@code salesforce_session_store_read_seconds_count{outcome="..."}}, 0 when absent. */
    private static long readCount(String prometheus, String outcome) {
        return prometheus.lines()
                .filter(line -> line.startsWith("salesforce_session_store_read_seconds_count{")
                        && line.contains("outcome=\"" + outcome + "\""))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static reactor.util.function.Tuple2<Integer, String> get(int port, String path) {
        return HTTP.get().uri("http://127.0.0.1:" + port + path)
                .responseSingle((response, body) -> body.asString().defaultIfEmpty("")
                        .map(text -> reactor.util.function.Tuples.of(response.status().code(), text)))
                .block(Duration.ofSeconds(20));
    }

    /**
     * Each gateway's server on its own Reactor Netty resources: with the global ones (Spring Boot's
     * default), closing one context disposes the event loops the other gateway still uses.
     */
    @Configuration(proxyBeanMethods = false)
    static class OwnNettyResources {
        @Bean
        ReactorResourceFactory reactorResourceFactory() {
            ReactorResourceFactory factory = new ReactorResourceFactory();
            factory.setUseGlobalResources(false);
            return factory;
        }
    }

    /** A listening loopback port that counts the connections made to it. */
    private static final class ConnectionTrap implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final AtomicInteger connections = new AtomicInteger();

        ConnectionTrap() throws IOException {
            Thread acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket accepted = socket.accept()) {
                        connections.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "connection-trap");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        AtomicInteger connections() {
            return connections;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
