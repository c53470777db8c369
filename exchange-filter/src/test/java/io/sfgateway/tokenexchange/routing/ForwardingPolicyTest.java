package io.sfgateway.tokenexchange.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

class ForwardingPolicyTest {

    private final ForwardingPolicy policy = ForwardingPolicy.defaults();

    @Test
    void accessTokenParametersGoInEverySpelling() {
        assertThat(policy.stripQuery("access_token=idp")).isNull();
        assertThat(policy.stripQuery("q=SELECT+Id&access_token=idp&x=1")).isEqualTo("q=SELECT+Id&x=1");
        assertThat(policy.stripQuery("ACCESS_TOKEN=a&Access_Token&access%5Ftoken=b&access%255Ftoken=c&x=1"))
                .isEqualTo("x=1");
        assertThat(policy.stripQuery("access_token+=a&+access_token=b&x=%41")).isEqualTo("x=%41");
        assertThat(policy.stripQuery("x=1&&y=2&")).isEqualTo("x=1&y=2");
        assertThat(policy.stripQuery("token=keep&my_access_token=keep")).isEqualTo("token=keep&my_access_token=keep");
        assertThat(policy.stripQuery(null)).isNull();
    }

    @Test
    void configuredHeadersGoEitherWay() {
        HttpHeaders request = new HttpHeaders();
        request.add("cookie", "sid=1");
        request.add("X-SFDC-Session", "00D!x");
        request.add("Accept", "application/json");
        policy.stripRequestHeaders(request);
        assertThat(request.headerNames()).containsExactly("Accept");

        HttpHeaders response = new HttpHeaders();
        response.add("Set-Cookie", "a=1");
        response.add("set-cookie", "b=2");
        response.add("Content-Type", "application/json");
        policy.stripResponseHeaders(response);
        assertThat(response.headerNames()).containsExactly("Content-Type");
    }

    @Test
    void theListsAreConfigurable() {
        ForwardingPolicy custom = new ForwardingPolicy(List.of("/services/data/"), List.of("X-Internal"),
                List.of("sid", "access_token"), List.of("X-Powered-By"));
        assertThat(custom.stripQuery("sid=1&access_token=2&q=3")).isEqualTo("q=3");
        HttpHeaders request = new HttpHeaders();
        request.add("X-Internal", "1");
        request.add("Cookie", "kept=1");
        custom.stripRequestHeaders(request);
        assertThat(request.headerNames()).containsExactly("Cookie");
    }

    @Test
    void theCallersConnectionHeaderCannotNameTheSalesforceTokenAway() {
        HttpHeaders headers = new HttpHeaders();
        headers.add("Connection", "close, Authorization, x-hop");
        headers.add("Authorization", "Bearer idp-token");
        headers.add("X-Hop", "1");
        headers.add("Content-Length", "10");
        headers.add("Accept", "*/*");
        CallerHeaders.honourConnection(headers);
        headers.setBearerAuth("salesforce");
        assertThat(headers.getConnection()).isEmpty();
        assertThat(headers.getFirst("Authorization")).isEqualTo("Bearer salesforce");
        assertThat(headers.headerNames()).containsExactlyInAnyOrder("Authorization", "Content-Length", "Accept");
    }
}
