package io.sfgateway.loadtests.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reads meters from an actuator stand-in serving the JSON Spring Boot's metrics endpoint serves. */
class ActuatorMetricsTest {

    private HttpServer server;
    private final List<String> queries = new CopyOnWriteArrayList<>();
    private final Map<String, String> answers = Map.of(
            "/actuator/metrics/salesforce.token.exchange", """
                    {"name":"salesforce.token.exchange","baseUnit":"seconds","measurements":[
                      {"statistic":"COUNT","value":42.0},{"statistic":"TOTAL_TIME","value":2.1},
                      {"statistic":"MAX","value":0.2}],"availableTags":[]}""",
            "/actuator/metrics/timer.in.ms", """
                    {"name":"timer.in.ms","baseUnit":"milliseconds","measurements":[
                      {"statistic":"COUNT","value":3.0},{"statistic":"TOTAL_TIME","value":1500.0}]}""",
            "/actuator/metrics/jvm.memory.used", """
                    {"name":"jvm.memory.used","baseUnit":"bytes","measurements":[
                      {"statistic":"VALUE","value":1048576.0}]}""");

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            queries.add(exchange.getRequestURI().getRawQuery());
            String body = answers.get(path);
            if (path.equals("/actuator/metrics/resilience4j.circuitbreaker.state")) {
                boolean open = exchange.getRequestURI().getRawQuery().contains("state%3Aopen");
                body = "{\"name\":\"x\",\"measurements\":[{\"statistic\":\"VALUE\",\"value\":" + (open ? 1 : 0)
                        + ".0}]}";
            }
            byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : bytes.length);
            if (body != null) {
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private ActuatorMetrics metrics() {
        return new ActuatorMetrics("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @Test
    void readsCountsTotalsAndGaugesWithTagsInTheQuery() {
        ActuatorMetrics metrics = metrics();
        assertThat(metrics.count("salesforce.token.exchange", "outcome:success")).isEqualTo(42.0);
        assertThat(queries).contains("tag=outcome%3Asuccess");
        assertThat(metrics.totalSeconds("salesforce.token.exchange")).isEqualTo(2.1);
        assertThat(metrics.value("jvm.memory.used", "area:heap", "id:G1 Old Gen")).isEqualTo(1048576.0);
        assertThat(queries).contains("tag=area%3Aheap&tag=id%3AG1+Old+Gen");
    }

    @Test
    void convertsTimersToSecondsFromTheirBaseUnit() {
        assertThat(metrics().totalSeconds("timer.in.ms")).isCloseTo(1.5, within(1e-9));
    }

    @Test
    void aMeterNotRegisteredYetReadsAsZero() {
        assertThat(metrics().count("salesforce.token.exchange.coalesced")).isZero();
        assertThat(metrics().meter("salesforce.token.exchange.coalesced")).isNull();
    }

    @Test
    void findsTheBreakerStateWhoseGaugeIsOne() {
        assertThat(metrics().breakerState("salesforce-token-exchange-salesforce")).isEqualTo("open");
        assertThat(queries).anyMatch(q -> q.contains("name%3Asalesforce-token-exchange-salesforce"));
    }
}
