package io.sfgateway.tokenexchange.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.common.KeyValue;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.filter.headers.observation.GatewayContext;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

/** The forwarded call's observation names no instance, no route URI and no query. */
class ForwardObservationConventionTest {

    @Test
    void theRouteUriAndTheQueryAreLeftOut() {
        MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest
                .get("http://gateway.example/services/data/v62.0/query?q=SELECT+Id+FROM+Account&access_token=secret"));
        exchange.getAttributes().put(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR, Route.async().id("salesforce-rest")
                .uri(URI.create("https://acme.my.salesforce.com")).predicate(any -> true).build());
        GatewayContext context = new GatewayContext(new HttpHeaders(), exchange.getRequest(), exchange);
        ForwardObservationConvention convention = new ForwardObservationConvention();

        assertThat(convention.getName()).isEqualTo("spring.cloud.gateway.http.client.requests");
        assertThat(convention.getLowCardinalityKeyValues(context)).extracting(KeyValue::getKey)
                .contains("spring.cloud.gateway.route.id", "http.method", "http.status_code")
                .doesNotContain("spring.cloud.gateway.route.uri");
        assertThat(convention.getHighCardinalityKeyValues(context))
                .containsExactly(KeyValue.of("http.uri", "/services/data/v62.0/query"));
        assertThat(convention.getLowCardinalityKeyValues(context).stream().map(KeyValue::getValue))
                .noneMatch(value -> value.contains("salesforce.com") || value.contains("secret"));
    }
}
