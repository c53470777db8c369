package io.sfgateway.emulator;

import static io.sfgateway.emulator.Exchanges.form;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code /__admin/...}: what a load test in another process uses. */
class AdminApiTest extends EmulatorTestBase {

    private Http.Response post(String pathAndQuery) {
        return Http.send(HttpRequest.newBuilder(URI.create(sf.baseUrl() + "/__admin/" + pathAndQuery))
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    private Http.Response get(String pathAndQuery) {
        return Http.get(sf.baseUrl() + "/__admin/" + pathAndQuery, null);
    }

    @Test
    void countersReportExchangesAndCalls() {
        String session = Exchanges.session(sf, "alice");
        Exchanges.session(sf, "alice");
        Exchanges.session(sf, "bob");
        exchange(form("garbage"));
        Http.get(data("/limits"), session);

        Http.Response response = get("counters");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/json");
        JsonNode counters = response.json();
        assertThat(counters.get("totalExchanges").asLong()).isEqualTo(3);
        assertThat(counters.get("tokenRequests").asLong()).isEqualTo(4);
        assertThat(counters.get("restCalls").asLong()).isEqualTo(1);
        assertThat(counters.get("maxExchangesPerSubject").asLong()).isEqualTo(2);
        assertThat(counters.get("exchangesBySubject").get("alice").asLong()).isEqualTo(2);
        assertThat(counters.get("exchangesBySubject").get("bob").asLong()).isEqualTo(1);
        assertThat(sf.counters().restCalls()).as("admin calls are not REST calls").isEqualTo(1);
    }

    @Test
    void faultIsSetByNameAndCleared() {
        assertThat(post("fault?token=SERVER_ERROR").status()).isEqualTo(200);
        assertThat(exchange(form(aliceToken())).status()).isEqualTo(500);
        assertThat(post("fault?token=none").status()).isEqualTo(200);
        assertThat(exchange(form(aliceToken())).status()).isEqualTo(200);
        Http.Response unknown = post("fault?token=EXPLODE");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("error").asString()).contains("unknown fault");
    }

    @Test
    void latencyIsSetInMilliseconds() {
        assertThat(post("latency?token=250&rest=120").json().get("tokenLatencyMs").asLong()).isEqualTo(250);
        assertThat(sf.controls().tokenLatency()).isEqualTo(Duration.ofMillis(250));
        assertThat(sf.controls().restLatency()).isEqualTo(Duration.ofMillis(120));
        post("latency?rest=0");
        assertThat(sf.controls().tokenLatency()).isEqualTo(Duration.ofMillis(250));
        assertThat(sf.controls().restLatency()).isZero();
        assertThat(post("latency?token=-1").status()).isEqualTo(400);
        assertThat(post("latency?token=abc").status()).isEqualTo(400);
    }

    @Test
    void revokeAllOrOneSubject() {
        String alice = Exchanges.session(sf, "alice");
        String bob = Exchanges.session(sf, "bob");
        assertThat(post("revoke?subject=alice").json().get("revoked").asInt()).isEqualTo(1);
        assertThat(Http.get(data("/limits"), alice).status()).isEqualTo(401);
        assertThat(Http.get(data("/limits"), bob).status()).isEqualTo(200);
        assertThat(post("revoke").status()).isEqualTo(200);
        assertThat(Http.get(data("/limits"), bob).status()).isEqualTo(401);
    }

    @Test
    void sessionTimeoutInSeconds() {
        assertThat(post("session-timeout?seconds=30").status()).isEqualTo(200);
        assertThat(sf.controls().sessionTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(post("session-timeout?seconds=0").status()).isEqualTo(400);
        assertThat(post("session-timeout").status()).isEqualTo(400);
    }

    @Test
    void instanceUrlOverride() {
        post("instance-url?url=" + Http.enc("https://acme.my.salesforce.com"));
        assertThat(exchange(form(aliceToken())).json().get("instance_url").asString())
                .isEqualTo("https://acme.my.salesforce.com");
        post("instance-url");
        assertThat(exchange(form(aliceToken())).json().get("instance_url").asString()).isEqualTo(sf.baseUrl());
    }

    @Test
    void idpTokenIsMintedAsText() throws Exception {
        Http.Response response = get("idp/token?sub=carol&ttlSeconds=120");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("text/plain");
        SignedJWT jwt = SignedJWT.parse(response.body());
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("carol");
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("salesforce-gateway");
        assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo(sf.idp().issuer());
        long ttl = jwt.getJWTClaimsSet().getExpirationTime().getTime() - jwt.getJWTClaimsSet().getIssueTime()
                .getTime();
        assertThat(ttl).isEqualTo(120_000);
        // alice is a configured user: a token minted this way exchanges.
        assertThat(exchange(form(get("idp/token?sub=alice").body())).status()).isEqualTo(200);

        assertThat(SignedJWT.parse(get("idp/token?sub=x&aud=other").body()).getJWTClaimsSet().getAudience())
                .containsExactly("other");
        assertThat(get("idp/token").status()).isEqualTo(400);
    }

    @Test
    void idpDescriptionAndRotation() {
        JsonNode idp = get("idp").json();
        assertThat(idp.get("issuer").asString()).isEqualTo(sf.idp().issuer());
        assertThat(idp.get("jwksUri").asString()).isEqualTo(sf.idp().jwksUri());
        String before = idp.get("kid").asString();
        String token = aliceToken();

        Http.Response rotated = post("idp/rotate");
        assertThat(rotated.status()).isEqualTo(200);
        assertThat(rotated.json().get("kid").asString()).isNotEqualTo(before).isEqualTo(sf.idp().keyId());
        assertThat(exchange(form(token)).status()).isEqualTo(400);
    }

    @Test
    void resetClearsState() {
        Exchanges.session(sf, "alice");
        post("fault?token=HANG");
        assertThat(post("reset").status()).isEqualTo(200);
        assertThat(sf.counters().totalExchanges()).isZero();
        assertThat(exchange(form(aliceToken())).status()).isEqualTo(200);
    }

    @Test
    void wrongMethodOrUnknownEndpoint() {
        assertThat(get("reset").status()).isEqualTo(405);
        assertThat(post("counters").status()).isEqualTo(405);
        assertThat(get("nothing").status()).isEqualTo(404);
        assertThat(post("nothing").status()).isEqualTo(404);
    }
}
