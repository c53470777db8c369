package io.sfgateway.tokenexchange.web;

import io.sfgateway.tokenexchange.BearerToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sfgateway.tokenexchange.ExchangeFailure;
import io.sfgateway.tokenexchange.ExchangeFailure.Kind;
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
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The route's filter on a {@link MockServerWebExchange}: one request, top to bottom, without a network. */
class SalesforceTokenExchangeFilterTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ExchangeObserver observer = new ExchangeObserver(registry, Clock.systemUTC());
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final AtomicInteger exchanges = new AtomicInteger();
    private final List<ServerWebExchange> forwarded = new ArrayList<>();
    private Mono<SalesforceSession> answer = Mono.fromSupplier(() -> session("sf-" + exchanges.get()));

    private final SessionService sessions = new SessionService(
            SessionPolicy.validated("acme", null, new SessionLifetime(Duration.ofMinutes(100), 0.75)),
            new SessionCache(100, nanos::get, observer),
            new RefusalMemory(Duration.ofSeconds(5), 100, nanos::get), subject -> {
                exchanges.incrementAndGet();
                return answer;
            }, observer);
    private final SubjectResolver subjects = new SubjectResolver() {
        @Override
        public Mono<Subject> resolve(BearerToken token, TokenDigest digest) {
            return Mono.just(Subject.validated("https://idp", "alice", token.value()));
        }

        @Override
        public Subject known(BearerToken token, TokenDigest digest) {
            return Subject.validated("https://idp", "alice", token.value());
        }
    };
    private final GatewayFilter filter = new SalesforceTokenExchangeGatewayFilterFactory(
            new ExchangeRegistrations(Map.of("acme", new ExchangeRegistration("acme", subjects, sessions))),
            new SessionForwarder(1024), new ErrorResponseWriter(observer),
            new RenewalLimit(Duration.ofSeconds(30), 100, nanos::get))
            .apply(config("acme"));
    private final GatewayFilterChain chain = exchange -> {
        forwarded.add(exchange);
        exchange.getResponse().setStatusCode(HttpStatus.OK);
        return Mono.empty();
    };

    @Test
    void noTokenIs401WithWwwAuthenticateAndCostsNothing() {
        MockServerWebExchange exchange = request(MockServerHttpRequest.get("http://gw/services/data/v62.0/"));
        StepVerifier.create(filter.filter(exchange, chain)).verifyComplete();

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer");
        assertThat(forwarded).isEmpty();
        assertThat(exchanges).hasValue(0);
        assertThat(refused("missing_token")).isEqualTo(1.0);
    }

    @Test
    void aCachedSessionIsForwardedWithItsTokenWithoutAnExchange() {
        sessions.sessionFor(Subject.validated("https://idp", "alice", "idp-token")).block();
        MockServerWebExchange exchange = request(MockServerHttpRequest.get("http://gw/services/data/v62.0/")
                .header(HttpHeaders.AUTHORIZATION, "Bearer idp-token"));

        StepVerifier.create(filter.filter(exchange, chain)).verifyComplete();

        assertThat(forwarded).hasSize(1);
        assertThat(forwarded.get(0).getRequest().getHeaders().get(HttpHeaders.AUTHORIZATION)).containsExactly("Bearer sf-1");
        assertThat(exchanges).as("the exchange that filled the cache only").hasValue(1);
        assertThat(registry.get(ExchangeObserver.CACHE_GETS).tag("result", "hit").counter().count()).isEqualTo(1.0);
        assertThat(registry.get(ExchangeObserver.CACHE_GETS).tag("result", "miss").counter().count()).isEqualTo(1.0);
    }

    @Test
    void aColdRequestExchangesOnceAndTheTimerCountsIt() {
        MockServerWebExchange exchange = request(MockServerHttpRequest.get("http://gw/services/data/v62.0/")
                .header(HttpHeaders.AUTHORIZATION, "Bearer idp-token"));

        StepVerifier.create(filter.filter(exchange, chain)).verifyComplete();

        assertThat(forwarded).hasSize(1);
        assertThat(exchanges).hasValue(1);
        assertThat(registry.get(ExchangeObserver.EXCHANGE_TIMER).tag("registration", "acme").tag("outcome", "success")
                .timer().count()).isEqualTo(1);
        assertThat(registry.get(ExchangeObserver.CACHE_GETS).tag("result", "miss").counter().count()).isEqualTo(1.0);
    }

    @Test
    void aRefusalOfTheSubjectIsTheErrorWritersAnswer() {
        answer = Mono.error(new ExchangeFailure(Kind.SUBJECT_REJECTED, "invalid_grant"));
        MockServerWebExchange exchange = request(MockServerHttpRequest.get("http://gw/services/data/v62.0/")
                .header(HttpHeaders.AUTHORIZATION, "Bearer idp-token"));

        StepVerifier.create(filter.filter(exchange, chain)).verifyComplete();

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).contains("invalid_token");
        assertThat(exchange.getResponse().getHeaders().getCacheControl()).isEqualTo("no-store");
        assertThat(exchange.getResponse().getBodyAsString().block()).doesNotContain("idp-token");
        assertThat(forwarded).isEmpty();
        assertThat(refused("subject_rejected")).isEqualTo(1.0);
        assertThat(registry.get(ExchangeObserver.EXCHANGE_TIMER).tag("outcome", "rejected").timer().count()).isEqualTo(1);
    }

    @Test
    void anUnavailableTokenEndpointIs503WithRetryAfter() {
        answer = Mono.error(new ExchangeFailure(Kind.CIRCUIT_OPEN, "open", 10));
        MockServerWebExchange exchange = request(MockServerHttpRequest.get("http://gw/services/data/v62.0/")
                .header(HttpHeaders.AUTHORIZATION, "Bearer idp-token"));

        StepVerifier.create(filter.filter(exchange, chain)).verifyComplete();

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("10");
        assertThat(refused("unavailable")).isEqualTo(1.0);
    }

    @Test
    void aPathOutsideTheSessionPathsIs404BeforeAnyExchange() {
        MockServerWebExchange exchange = request(MockServerHttpRequest.get("http://gw/secur/frontdoor.jsp")
                .header(HttpHeaders.AUTHORIZATION, "Bearer idp-token"));

        StepVerifier.create(filter.filter(exchange, chain)).verifyComplete();

        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(exchanges).hasValue(0);
        assertThat(refused("outside_session_paths")).isEqualTo(1.0);
    }

    private double refused(String reason) {
        return registry.get(ExchangeObserver.REFUSED_COUNTER).tag("registration", "acme").tag("reason", reason)
                .counter().count();
    }

    private static MockServerWebExchange request(MockServerHttpRequest.BaseBuilder<?> request) {
        MockServerWebExchange exchange = MockServerWebExchange.from(request);
        exchange.getAttributes().put(GATEWAY_REQUEST_URL_ATTR, exchange.getRequest().getURI());
        return exchange;
    }

    private static SalesforceTokenExchangeGatewayFilterFactory.Config config(String registration) {
        SalesforceTokenExchangeGatewayFilterFactory.Config config = new SalesforceTokenExchangeGatewayFilterFactory.Config();
        config.setRegistration(registration);
        return config;
    }

    private static SalesforceSession session(String accessToken) {
        return new SalesforceSession(accessToken,
                SessionGrant.of(URI.create("https://acme.my.salesforce.com"), "00D", "api"), "005", 0L);
    }
}
