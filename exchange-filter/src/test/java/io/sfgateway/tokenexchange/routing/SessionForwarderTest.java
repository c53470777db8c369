package io.sfgateway.tokenexchange.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;

import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.SessionGrant;
import io.sfgateway.tokenexchange.session.SessionRenewal;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The forwarder on a mock exchange: what Salesforce gets, what comes back, when a renewal is asked for. */
class SessionForwarderTest {

    private static final SalesforceSession SESSION = new SalesforceSession("00D!salesforce-token",
            SessionGrant.of(URI.create("https://acme.my.salesforce.com"), "00D", "api"), "005", 0L);

    private final List<ServerWebExchange> sent = new ArrayList<>();
    private final CountingRenewal renewal = new CountingRenewal();
    private HttpStatus upstreamStatus = HttpStatus.OK;
    private final GatewayFilterChain chain = exchange -> {
        sent.add(exchange);
        exchange.getResponse().setStatusCode(upstreamStatus);
        exchange.getResponse().getHeaders().add(HttpHeaders.SET_COOKIE, "sid=secret");
        exchange.getResponse().getHeaders().add("Sforce-Limit-Info", "api-usage=1/15000");
        return Mono.empty();
    };

    @Test
    void salesforceGetsTheSessionsTokenOnItsInstanceAndNoneOfTheCallersSecrets() {
        MockServerWebExchange exchange = routed(MockServerHttpRequest
                .get("https://gateway.example/services/data/v62.0/query?q=SELECT+Id+FROM+Account&access_token=leak")
                .header(HttpHeaders.AUTHORIZATION, "Bearer idp-token")
                .header(HttpHeaders.COOKIE, "a=b")
                .header("X-SFDC-Session", "other-session").build());

        StepVerifier.create(new SessionForwarder(1024).forward(exchange, chain, SESSION, renewal, ForwardingPolicy.defaults()))
                .verifyComplete();

        assertThat(sent).hasSize(1);
        ServerWebExchange toSalesforce = sent.get(0);
        HttpHeaders headers = toSalesforce.getRequest().getHeaders();
        assertThat(headers.get(HttpHeaders.AUTHORIZATION)).containsExactly("Bearer 00D!salesforce-token");
        assertThat(headers.containsHeader(HttpHeaders.COOKIE)).isFalse();
        assertThat(headers.containsHeader("X-SFDC-Session")).isFalse();
        URI target = toSalesforce.getRequiredAttribute(GATEWAY_REQUEST_URL_ATTR);
        assertThat(target).hasToString("https://acme.my.salesforce.com/services/data/v62.0/query?q=SELECT+Id+FROM+Account");
        assertThat(exchange.getResponse().getHeaders().containsHeader(HttpHeaders.SET_COOKIE)).isFalse();
        assertThat(exchange.getResponse().getHeaders().getFirst("Sforce-Limit-Info")).isEqualTo("api-usage=1/15000");
        assertThat(renewal.evictions).hasValue(0);
    }

    @Test
    void anExperienceCloudSitePrefixesThePath() {
        SalesforceSession site = new SalesforceSession("t",
                SessionGrant.of(URI.create("https://acme.my.site.com/partners/"), "00D", "api"), "005", 0L);
        MockServerWebExchange exchange = routed(MockServerHttpRequest.get("https://gateway.example/services/data/v62.0/").build());
        new SessionForwarder(1024).forward(exchange, chain, site, renewal).block();
        URI target = sent.get(0).getRequiredAttribute(GATEWAY_REQUEST_URL_ATTR);
        assertThat(target).hasToString("https://acme.my.site.com/partners/services/data/v62.0/");
    }

    @Test
    void aRouteAlreadyOnTheInstanceKeepsItsUrlUnlessSomethingMustChange() {
        ForwardingPolicy policy = ForwardingPolicy.defaults();
        URI instance = URI.create("https://acme.my.salesforce.com");
        URI onIt = URI.create("https://acme.my.salesforce.com/services/data/v62.0/query?q=SELECT+Id+FROM+Account");
        assertThat(SessionForwarder.onInstance(onIt, instance, policy)).isSameAs(onIt);
        assertThat(SessionForwarder.onInstance(URI.create("https://acme.my.salesforce.com/services/data/"), instance, policy))
                .hasToString("https://acme.my.salesforce.com/services/data/");

        // Anything to change, and the URL is built anew.
        assertThat(SessionForwarder.onInstance(URI.create(onIt + "&access_token=leak"), instance, policy))
                .isEqualTo(onIt);
        assertThat(SessionForwarder.onInstance(URI.create("https://acme.my.salesforce.com/services/data/?access_token=x"),
                instance, policy)).hasToString("https://acme.my.salesforce.com/services/data/");
        assertThat(SessionForwarder.onInstance(URI.create("http://acme.my.salesforce.com/services/data/"), instance, policy))
                .hasToString("https://acme.my.salesforce.com/services/data/");
        assertThat(SessionForwarder.onInstance(URI.create("https://acme.my.salesforce.com:8443/services/data/"), instance,
                policy)).hasToString("https://acme.my.salesforce.com/services/data/");
        assertThat(SessionForwarder.onInstance(URI.create("https://acme.my.salesforce.com/services/data/#part"), instance,
                policy)).hasToString("https://acme.my.salesforce.com/services/data/");
        assertThat(SessionForwarder.onInstance(URI.create("https://acme.my.site.com/services/data/"),
                URI.create("https://acme.my.site.com/partners"), policy))
                .hasToString("https://acme.my.site.com/partners/services/data/");
        assertThat(SessionForwarder.onInstance(URI.create("https://login.salesforce.com/services/data/"), instance, policy))
                .hasToString("https://acme.my.salesforce.com/services/data/");
    }

    @Test
    void a401WithoutSalesforcesSessionErrorGoesBackUntouchedAndRenewsNothing() {
        upstreamStatus = HttpStatus.UNAUTHORIZED;
        MockServerWebExchange exchange = routed(MockServerHttpRequest.get("https://gateway.example/services/data/").build());
        StepVerifier.create(new SessionForwarder(1024).forward(exchange, chain, SESSION, renewal)).verifyComplete();
        assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(sent).hasSize(1);
        assertThat(renewal.evictions).hasValue(0);
        assertThat(renewal.renewals).hasValue(0);
    }

    @Test
    void aBodyWithinTheReplayLimitTakesFromTheBudgetAndGivesItBack() {
        ReplayBudget budget = new ReplayBudget(10);
        MockServerWebExchange exchange = routed(MockServerHttpRequest.post("https://gateway.example/services/data/")
                .contentLength(5).body("hello"));
        boolean[] heldWhileSending = {false};
        GatewayFilterChain checking = forwarded -> {
            heldWhileSending[0] = !budget.tryTake(6); // 5 of 10 bytes are held for the replay
            return chain.filter(forwarded);
        };
        new SessionForwarder(1024, budget).forward(exchange, checking, SESSION, renewal).block();
        assertThat(heldWhileSending[0]).isTrue();
        assertThat(budget.tryTake(10)).as("given back when the request is done").isTrue();
        assertThat(sent).hasSize(1);
    }

    private static MockServerWebExchange routed(MockServerHttpRequest request) {
        MockServerWebExchange exchange = MockServerWebExchange.from(request);
        exchange.getAttributes().put(GATEWAY_REQUEST_URL_ATTR, exchange.getRequest().getURI());
        return exchange;
    }

    private static final class CountingRenewal implements SessionRenewal {

        final AtomicInteger evictions = new AtomicInteger();
        final AtomicInteger renewals = new AtomicInteger();

        @Override
        public boolean evict(SalesforceSession stale) {
            evictions.incrementAndGet();
            return true;
        }

        @Override
        public Mono<SalesforceSession> renewed() {
            renewals.incrementAndGet();
            return Mono.just(SESSION);
        }
    }
}
