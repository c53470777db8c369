package io.sfgateway.tokenexchange.exchange;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.sfgateway.tokenexchange.config.TokenEndpointClients;
import io.sfgateway.tokenexchange.config.TokenExchangeAutoConfiguration;
import io.sfgateway.tokenexchange.config.TokenExchangeProperties;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Not a test of behaviour: a measurement, run on demand ({@code -Dperf.measure=true}), of the
 * client-side CPU one token exchange costs (the calling thread plus Reactor Netty's event loops,
 * from {@link ThreadMXBean} thread CPU time; WireMock's own threads are not counted), one exchange
 * at a time as on the cold path, for: the request as it was (WebClient, a form map through
 * Spring's form writer), any WebClient with the pre-encoded form, and the direct Reactor Netty
 * request. Prints µs of CPU per exchange; asserts only that every exchange succeeded.
 */
@EnabledIfSystemProperty(named = "perf.measure", matches = "true")
class TokenRequestCpuMeasurement {

    private static final int WARM_UP = Integer.getInteger("perf.warmup", 4_000);
    private static final int MEASURED = Integer.getInteger("perf.n", 4_000);
    private static final String TOKEN = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0." + "eyJzdWIiOiJhbGljZSJ9".repeat(20) + ".c2ln";
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @Test
    void cpuPerExchangeByTransport() {
        WireMockServer wm = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        wm.start();
        try {
            wm.stubFor(post(urlEqualTo("/services/oauth2/token")).willReturn(okJson(
                    "{\"access_token\":\"00D!AQ4.session\",\"instance_url\":\"https://acme.my.salesforce.com\",\"id\":"
                            + "\"https://login.salesforce.com/id/00D5g000000abcdEAA/0055g000000wxyzAAA\",\"token_type\":"
                            + "\"Bearer\",\"issued_at\":\"1700000000123\",\"scope\":\"api\"}")));
            ExchangeSettings settings = new ExchangeSettings("acme",
                    new TokenClient(URI.create(wm.baseUrl() + "/services/oauth2/token"), "3MVG9-client-id", null),
                    new TokenRequest(ExchangeSettings.TOKEN_EXCHANGE, ExchangeSettings.TOKEN_TYPE_JWT, "api", null),
                    InstanceUrlAllowlist.of(List.of("https://*.my.salesforce.com")));
            TokenExchangeProperties properties = new TokenExchangeProperties();
            properties.setCache(new TokenExchangeProperties.Cache(1000, 0.75, Duration.ofSeconds(5)));
            properties.setExchange(new TokenExchangeProperties.Exchange(Duration.ofSeconds(5), 64, Duration.ofSeconds(2),
                    DataSize.ofKilobytes(64), 16));
            TokenEndpointClients pooled = new TokenExchangeAutoConfiguration().tokenEndpointClients(properties);
            WebClient plain = WebClient.builder()
                    .clientConnector(new org.springframework.http.client.reactive.ReactorClientHttpConnector(pooled.http()))
                    .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(64 * 1024)).build();
            TokenResponseParser parser = new TokenResponseParser(settings, System::currentTimeMillis);

            Map<String, Function<String, Mono<?>>> variants = new java.util.LinkedHashMap<>();
            variants.put("WebClient + form map (before)", token -> plain.post().uri(settings.client().tokenEndpoint())
                    .contentType(MediaType.APPLICATION_FORM_URLENCODED).accept(MediaType.APPLICATION_JSON)
                    .body(BodyInserters.fromFormData(formMap(settings, token)))
                    .exchangeToMono(response -> response.bodyToMono(byte[].class)).map(parser::session));
            variants.put("WebClient + pre-encoded form", new TokenExchanger(TokenEndpointTransport.webClient(plain), settings, Clock.systemUTC())::exchange);
            variants.put("Reactor Netty HttpClient + pre-encoded form (after)", new TokenExchanger(pooled.transport(), settings, Clock.systemUTC())::exchange);
            for (int round = 0; round < 2; round++) {
                for (Map.Entry<String, Function<String, Mono<?>>> variant : variants.entrySet()) {
                    run(variant.getValue(), WARM_UP);
                    double micros = run(variant.getValue(), MEASURED) / 1_000.0 / MEASURED;
                    System.out.printf("token request CPU, round %d: %-55s %7.1f µs per exchange%n", round + 1,
                            variant.getKey(), micros);
                }
            }
        } finally {
            wm.stop();
        }
    }

    private static MultiValueMap<String, String> formMap(ExchangeSettings settings, String token) {
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>(8);
        form.add("grant_type", settings.request().grantType());
        form.add("subject_token", token);
        form.add("subject_token_type", settings.request().subjectTokenType());
        form.add("client_id", settings.client().clientId());
        form.add("scope", settings.request().scope());
        return form;
    }

    /** Nanoseconds of CPU on the calling thread and Reactor Netty's threads for {@code n} exchanges, one at a time. */
    private static long run(Function<String, Mono<?>> exchange, int n) {
        Map<Long, Long> before = clientCpu();
        for (int i = 0; i < n; i++) {
            assertThat(exchange.apply(TOKEN).block(Duration.ofSeconds(5))).isNotNull();
        }
        Map<Long, Long> after = clientCpu();
        long total = 0;
        for (Map.Entry<Long, Long> thread : after.entrySet()) {
            total += thread.getValue() - before.getOrDefault(thread.getKey(), 0L);
        }
        return total;
    }

    private static Map<Long, Long> clientCpu() {
        Map<Long, Long> cpu = new HashMap<>();
        long self = Thread.currentThread().getId();
        for (var info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null && (info.getThreadId() == self || info.getThreadName().startsWith("reactor-http"))) {
                cpu.put(info.getThreadId(), THREADS.getThreadCpuTime(info.getThreadId()));
            }
        }
        return cpu;
    }
}
