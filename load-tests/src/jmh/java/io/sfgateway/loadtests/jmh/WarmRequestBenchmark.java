package io.sfgateway.loadtests.jmh;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.SessionGrant;
import com.github.benmanes.caffeine.cache.Ticker;
import io.sfgateway.tokenexchange.observe.ExchangeObserver;
import io.sfgateway.tokenexchange.routing.SessionForwarder;
import io.sfgateway.tokenexchange.session.RefusalMemory;
import io.sfgateway.tokenexchange.session.RenewalLimit;
import io.sfgateway.tokenexchange.session.SessionCache;
import io.sfgateway.tokenexchange.session.SessionLifetime;
import io.sfgateway.tokenexchange.session.SessionPolicy;
import io.sfgateway.tokenexchange.session.SessionService;
import io.sfgateway.tokenexchange.subject.JwksLocation;
import io.sfgateway.tokenexchange.subject.JwksSchedule;
import io.sfgateway.tokenexchange.subject.JwksSource;
import io.sfgateway.tokenexchange.subject.JwtRules;
import io.sfgateway.tokenexchange.subject.JwtSubjectResolver;
import io.sfgateway.tokenexchange.web.ErrorResponseWriter;
import io.sfgateway.tokenexchange.web.ExchangeRegistration;
import io.sfgateway.tokenexchange.web.ExchangeRegistrations;
import io.sfgateway.tokenexchange.web.SalesforceTokenExchangeGatewayFilterFactory;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.factory.AbstractNameValueGatewayFilterFactory.NameValueConfig;
import org.springframework.cloud.gateway.filter.factory.SetRequestHeaderGatewayFilterFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.adapter.DefaultServerWebExchange;
import org.springframework.web.server.i18n.AcceptHeaderLocaleContextResolver;
import org.springframework.web.server.i18n.LocaleContextResolver;
import org.springframework.web.server.session.DefaultWebSessionManager;
import org.springframework.web.server.session.WebSessionManager;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * One warm request (caller's JWT verified before, session cached) through the filter, beside the same request
 * through the limit's plain route ({@code SetRequestHeader=Authorization, Bearer <session>}) and through no filter at
 * all (what building the mock exchange costs, to subtract). The chain ends at once, so the figures are the filters'
 * own work: time per request, and with {@code -prof gc} the bytes allocated per request ({@code gc.alloc.rate.norm}).
 * Ours is built as the auto-configuration builds it: a {@link JwtSubjectResolver} whose key set came from a JWKS
 * endpoint (answered in memory), the session service and cache, the forwarder and the error writer. The bearer token
 * is an RS256 JWT of about 800 characters, as an IdP issues them. Run with {@code -Pjmh} (load-tests/README.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class WarmRequestBenchmark {

    private static final String ISSUER = "https://idp.example.com/oauth2/default";
    private static final String AUDIENCE = "api://salesforce";
    private static final String PATH = "/services/data/v62.0/sobjects/Account/001xx0000001";
    /** The org, as in the benchmark's stack: the route's URI is the session's instance, so the URL is kept as is. */
    private static final String INSTANCE = "http://127.0.0.1:8089";
    private static final URI ROUTED = URI.create(INSTANCE + PATH);
    private static final WebSessionManager SESSIONS = new DefaultWebSessionManager();
    private static final ServerCodecConfigurer CODECS = ServerCodecConfigurer.create();
    private static final LocaleContextResolver LOCALE = new AcceptHeaderLocaleContextResolver();
    private static final GatewayFilterChain CHAIN = exchange -> {
        exchange.getResponse().setStatusCode(HttpStatus.OK);
        return Mono.empty();
    };

    private String authorization;
    private GatewayFilter nothing;
    private GatewayFilter limit;
    private GatewayFilter ours;

    @Setup
    public void build() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k1").generate();
        authorization = "Bearer " + jwt(key);
        Clock clock = Clock.systemUTC();
        WebClient idp = WebClient.builder().exchangeFunction(request -> Mono.just(ClientResponse.create(HttpStatus.OK)
                .header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE)
                .body(new JWKSet(key.toPublicJWK()).toString()).build())).build();
        JwksSource keys = new JwksSource(idp, JwksLocation.fixed(URI.create("https://idp.example.com/keys")),
                JwksSchedule.of(Duration.ofSeconds(30), Duration.ofMinutes(5)), clock, Schedulers.parallel());
        JwtSubjectResolver subjects = new JwtSubjectResolver(keys,
                new JwtRules(ISSUER, List.of(AUDIENCE), "sub", Duration.ofSeconds(30)), clock);
        ExchangeObserver observer = new ExchangeObserver(new SimpleMeterRegistry(), clock);
        SessionService sessions = new SessionService(
                SessionPolicy.validated("salesforce", null, new SessionLifetime(Duration.ofHours(2), 0.75)),
                new SessionCache(10_000, Ticker.systemTicker(), observer),
                new RefusalMemory(Duration.ofSeconds(5), 100, Ticker.systemTicker()),
                subject -> Mono.just(new SalesforceSession("00D5e000000AbCdEAF!AQ4AQ.session",
                        SessionGrant.of(URI.create(INSTANCE), "00D5e000000AbCdEAF", "api"), "0055e000001XyZ", 0L)),
                observer);
        SalesforceTokenExchangeGatewayFilterFactory.Config config = new SalesforceTokenExchangeGatewayFilterFactory.Config();
        config.setRegistration("salesforce");
        ours = new SalesforceTokenExchangeGatewayFilterFactory(
                new ExchangeRegistrations(Map.of("salesforce", new ExchangeRegistration("salesforce", subjects, sessions))),
                new SessionForwarder(1024), new ErrorResponseWriter(observer),
                new RenewalLimit(Duration.ofSeconds(30), 100, Ticker.systemTicker())).apply(config);
        limit = new SetRequestHeaderGatewayFilterFactory().apply(new NameValueConfig()
                .setName(HttpHeaders.AUTHORIZATION).setValue("Bearer 00D5e000000AbCdEAF!AQ4AQ.session"));
        nothing = (exchange, chain) -> chain.filter(exchange);
        ours.filter(request(), CHAIN).block(Duration.ofSeconds(10)); // verifies the JWT and exchanges once: warm after
        if (request(ours).getResponse().getStatusCode() != HttpStatus.OK) {
            throw new IllegalStateException("ours did not forward a warm request");
        }
    }

    private static String jwt(RSAKey key) throws Exception {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUDIENCE)
                .subject("00u1a2b3c4d5e6f7g8h9").claim("email", "alice.example@example.com")
                .claim("scp", List.of("openid", "profile", "email", "api")).claim("cid", "0oa1b2c3d4e5f6g7h8i9")
                .claim("uid", "00u1a2b3c4d5e6f7g8h9").jwtID("AT.6cO2vJ9Qq3r1X8xYzA0b1c2d3e4f5g6h7i8j9k0")
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(86_400)))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    /**
     * A new exchange per request, as a server makes one, but with the codecs, session and locale machinery made
     * once ({@code MockServerWebExchange.from} builds them per exchange: tens of kilobytes that would bury the
     * filters' own allocations).
     */
    private ServerWebExchange request() {
        ServerWebExchange exchange = new DefaultServerWebExchange(MockServerHttpRequest.get("http://gw.example:8080" + PATH)
                .header(HttpHeaders.AUTHORIZATION, authorization)
                .header(HttpHeaders.ACCEPT, "application/json")
                .header(HttpHeaders.USER_AGENT, "Gatling/3")
                .header(HttpHeaders.ACCEPT_ENCODING, "gzip, deflate").build(),
                new MockServerHttpResponse(), SESSIONS, CODECS, LOCALE);
        exchange.getAttributes().put(GATEWAY_REQUEST_URL_ATTR, ROUTED);
        return exchange;
    }

    private ServerWebExchange request(GatewayFilter filter) {
        ServerWebExchange exchange = request();
        filter.filter(exchange, CHAIN).subscribe();
        return exchange;
    }

    /** The mock exchange alone: subtract it from the others. */
    @Benchmark
    public ServerWebExchange nothing() {
        return request(nothing);
    }

    /** The limit: a plain route setting the Authorization header. */
    @Benchmark
    public ServerWebExchange limit() {
        return request(limit);
    }

    /** Ours, warm: token known, session cached, routed to the session's instance. */
    @Benchmark
    public ServerWebExchange ours() {
        return request(ours);
    }
}
