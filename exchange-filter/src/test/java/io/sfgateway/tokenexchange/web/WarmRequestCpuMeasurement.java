package io.sfgateway.tokenexchange.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.SessionGrant;
import io.sfgateway.tokenexchange.Subject;
import io.sfgateway.tokenexchange.TokenDigest;
import io.sfgateway.tokenexchange.observe.ExchangeObserver;
import io.sfgateway.tokenexchange.routing.SessionForwarder;
import io.sfgateway.tokenexchange.session.RefusalMemory;
import io.sfgateway.tokenexchange.session.RenewalLimit;
import io.sfgateway.tokenexchange.session.SessionCache;
import io.sfgateway.tokenexchange.session.SessionLifetime;
import io.sfgateway.tokenexchange.session.SessionPolicy;
import io.sfgateway.tokenexchange.session.SessionService;
import io.sfgateway.tokenexchange.subject.SubjectResolver;
import java.time.Clock;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Not a test of behaviour: a measurement, run on demand ({@code -Dperf.measure=true}), of the CPU
 * the filter's own code costs on a warm request (token known, session cached), on the calling
 * thread ({@link ThreadMXBean}), with a chain that does nothing. Beside it: the same requests
 * through nothing (the cost of building the mock exchange, subtracted from the others) and
 * through what the limit route's {@code SetRequestHeader=Authorization, Bearer ...} does. The
 * validated registration's resolver here answers from a fixed key (the JWT memo's Caffeine
 * lookup is not in the figure); the opaque registration is the library's own resolver. Prints
 * µs of CPU and bytes allocated per request; asserts only that every request took the warm path.
 */
@EnabledIfSystemProperty(named = "perf.measure", matches = "true")
class WarmRequestCpuMeasurement {

    private static final int WARM_UP = Integer.getInteger("perf.warmup", 200_000);
    private static final int MEASURED = Integer.getInteger("perf.n", 200_000);
    private static final String TOKEN = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0." + "eyJzdWIiOiJhbGljZSJ9".repeat(30)
            + "." + "c2lnbmF0dXJl".repeat(28);
    private static final URI ROUTED = URI.create("http://127.0.0.1:8089/services/data/v62.0/sobjects/Account/001xx0000001");
    private static final URI ON_INSTANCE = URI.create("https://acme.my.salesforce.com/services/data/v62.0/sobjects/Account/001xx0000001");
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.ThreadMXBean ALLOCATIONS = (com.sun.management.ThreadMXBean) THREADS;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ExchangeObserver observer = new ExchangeObserver(registry, Clock.systemUTC());
    private final AtomicInteger exchanges = new AtomicInteger();
    private final AtomicReference<ServerWebExchange> last = new AtomicReference<>();
    private final GatewayFilterChain chain = exchange -> {
        last.set(exchange);
        exchange.getResponse().setStatusCode(HttpStatus.OK);
        return Mono.empty();
    };

    @Test
    void cpuPerWarmRequest() {
        SubjectResolver validated = new SubjectResolver() {
            @Override
            public Mono<Subject> resolve(String token, TokenDigest digest) {
                return Mono.just(Subject.validatedAs("jwt:https://idp alice", token));
            }

            @Override
            public Subject known(String token, TokenDigest digest) {
                return Subject.validatedAs("jwt:https://idp alice", token, digest);
            }
        };
        Map<String, GatewayFilter> variants = new LinkedHashMap<>();
        variants.put("nothing (mock exchange only)", (exchange, chain) -> chain.filter(exchange));
        variants.put("limit: SetRequestHeader Authorization", (exchange, chain) -> {
            ServerHttpRequest request = exchange.getRequest().mutate()
                    .headers(headers -> headers.set(HttpHeaders.AUTHORIZATION, "Bearer 00D!static.session"))
                    .build();
            return chain.filter(exchange.mutate().request(request).build());
        });
        GatewayFilter ours = filter(validated);
        variants.put("ours, validated subject", ours);
        // The route's URI already the session's instance (a My Domain route): the routed URL is kept as it is.
        variants.put("ours, validated, route on the instance", (exchange, chain) -> {
            exchange.getAttributes().put(GATEWAY_REQUEST_URL_ATTR, ON_INSTANCE);
            return ours.filter(exchange, chain);
        });
        variants.put("ours, opaque subject", filter(SubjectResolver.opaque()));

        for (int round = 1; round <= 3; round++) {
            double base = 0;
            double baseBytes = 0;
            for (Map.Entry<String, GatewayFilter> variant : variants.entrySet()) {
                run(variant.getKey(), variant.getValue(), WARM_UP);
                long allocatedBefore = ALLOCATIONS.getCurrentThreadAllocatedBytes();
                double micros = run(variant.getKey(), variant.getValue(), MEASURED) / 1_000.0 / MEASURED;
                double bytes = (ALLOCATIONS.getCurrentThreadAllocatedBytes() - allocatedBefore) / (double) MEASURED;
                if (variant.getKey().startsWith("nothing")) {
                    base = micros; // the first variant of every round
                    baseBytes = bytes;
                }
                System.out.printf("warm request CPU, round %d: %-40s %6.2f µs per request (%5.2f µs over nothing),"
                        + " %6.0f bytes allocated over nothing%n", round, variant.getKey(), micros, micros - base,
                        bytes - baseBytes);
            }
        }
        assertThat(exchanges).as("one exchange per registration, before the first measured request").hasValue(2);
    }

    private GatewayFilter filter(SubjectResolver subjects) {
        String name = "reg" + exchanges.get();
        SessionService sessions = new SessionService(SessionPolicy.validated(name, null, new SessionLifetime(Duration.ofHours(2), 0.75)),
                new SessionCache(1000, () -> 1_000_000_000L, observer),
                new RefusalMemory(Duration.ofSeconds(5), 100, () -> 1_000_000_000L), subject -> {
                    exchanges.incrementAndGet();
                    return Mono.just(new SalesforceSession("00D!session." + name,
                            SessionGrant.of(URI.create("https://acme.my.salesforce.com"), "00D", "api"), "005", 0L));
                }, observer);
        SalesforceTokenExchangeGatewayFilterFactory.Config config = new SalesforceTokenExchangeGatewayFilterFactory.Config();
        config.setRegistration(name);
        GatewayFilter filter = new SalesforceTokenExchangeGatewayFilterFactory(
                new ExchangeRegistrations(Map.of(name, new ExchangeRegistration(name, subjects, sessions))),
                new SessionForwarder(1024), new ErrorResponseWriter(observer),
                new RenewalLimit(Duration.ofSeconds(30), 100, () -> 1_000_000_000L)).apply(config);
        filter.filter(request(), chain).block(); // the one exchange: every measured request is warm
        return filter;
    }

    private long run(String name, GatewayFilter filter, int n) {
        boolean ours = name.startsWith("ours");
        long start = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
            filter.filter(request(), chain).subscribe();
        }
        long cpu = THREADS.getCurrentThreadCpuTime() - start;
        String sent = last.get().getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        assertThat(sent).startsWith(ours ? "Bearer 00D!session." : name.startsWith("limit") ? "Bearer 00D!static" : "Bearer ey");
        if (ours) {
            assertThat(last.get().<URI>getAttribute(GATEWAY_REQUEST_URL_ATTR).getHost()).isEqualTo("acme.my.salesforce.com");
        }
        return cpu;
    }

    private static MockServerWebExchange request() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest
                .get("http://gw.example:8080/services/data/v62.0/sobjects/Account/001xx0000001")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
                .header(HttpHeaders.ACCEPT, "application/json")
                .header(HttpHeaders.USER_AGENT, "Gatling/3")
                .header(HttpHeaders.ACCEPT_ENCODING, "gzip, deflate"));
        exchange.getAttributes().put(GATEWAY_REQUEST_URL_ATTR, URI.create(ROUTED.toString()));
        return exchange;
    }
}
