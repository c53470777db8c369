package io.sfgateway.emulator;

import static io.sfgateway.emulator.Exchanges.form;
import static io.sfgateway.emulator.Exchanges.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The success response: Salesforce's fields and formats. */
class TokenResponseTest extends EmulatorTestBase {

    static String hmac(String secret, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void successCarriesSalesforceFields() throws Exception {
        long before = System.currentTimeMillis();
        Http.Response response = exchange(form(aliceToken()));
        long after = System.currentTimeMillis();

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("application/json");
        JsonNode body = response.json();
        assertThat(body.propertyNames()).containsExactlyInAnyOrder("access_token", "signature", "scope",
                "instance_url", "id", "token_type", "issued_at", "token_format");
        assertThat(body.get("access_token").asString()).startsWith(sf.orgId() + "!")
                .matches("00D[0-9A-Za-z]{15}![A-Za-z0-9_-]{90,}");
        assertThat(body.get("instance_url").asString()).isEqualTo(sf.baseUrl());
        assertThat(body.get("id").asString()).isEqualTo(sf.baseUrl() + "/id/" + sf.orgId() + "/005000000000001AAA");
        assertThat(body.get("token_type").asString()).isEqualTo("Bearer");
        assertThat(body.get("scope").asString()).isEqualTo("api");
        assertThat(body.get("issued_at").isString()).as("issued_at is a string").isTrue();
        assertThat(Long.parseLong(body.get("issued_at").asString())).isBetween(before, after);
        assertThat(body.has("expires_in")).isFalse();
        assertThat(body.get("token_format").asString()).isEqualTo("opaque");
        assertThat(body.get("signature").asString())
                .isEqualTo(hmac("demo-secret", body.get("id").asString() + body.get("issued_at").asString()));
        assertThat(response.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v)
                .contains("no-store"));
    }

    @Test
    void everySessionIsDistinct() {
        String first = Exchanges.session(sf, "alice");
        String second = Exchanges.session(sf, "alice");
        assertThat(first).isNotEqualTo(second);
        assertThat(sf.counters().exchanges("alice")).isEqualTo(2);
        assertThat(sf.liveSessions()).isEqualTo(2);
    }

    @Test
    void requestedScopeIsEchoedAndRefreshTokenOnlyWhenAsked() {
        JsonNode plain = exchange(with(form(aliceToken()), "scope", "api web")).json();
        assertThat(plain.get("scope").asString()).isEqualTo("api web");
        assertThat(plain.has("refresh_token")).isFalse();

        JsonNode refresh = exchange(with(form(aliceToken()), "scope", "api refresh_token")).json();
        assertThat(refresh.get("refresh_token").asString()).startsWith("5Aep861").hasSizeGreaterThan(40);

        JsonNode offline = exchange(with(form(aliceToken()), "scope", "offline_access")).json();
        assertThat(offline.has("refresh_token")).isTrue();

        JsonNode lookalike = exchange(with(form(aliceToken()), "scope", "api refresh_token_x")).json();
        assertThat(lookalike.has("refresh_token")).isFalse();
    }

    @Test
    void noScopeAskedGrantsEveryScopeOfTheAppRefreshTokenIncluded() {
        JsonNode all = exchange(with(form(aliceToken()), "scope", null)).json();
        assertThat(all.get("scope").asString().split(" "))
                .containsExactlyInAnyOrderElementsOf(OrgPolicies.DEFAULT_APP_SCOPES);
        assertThat(all.has("refresh_token")).as("the app has refresh_token").isTrue();

        sf.policies().appScopes(java.util.Set.of("api", "web"));
        JsonNode some = exchange(with(form(aliceToken()), "scope", null)).json();
        assertThat(some.get("scope").asString()).isEqualTo("api web");
        assertThat(some.has("refresh_token")).isFalse();
    }

    @Test
    void jwtBasedAccessTokensCarryTheirFormatAndExpireOnTheirTokenTimeout() throws Exception {
        sf.policies().jwtAccessTokens(java.time.Duration.ofSeconds(1));
        JsonNode body = exchange(form(aliceToken())).json();
        assertThat(body.get("token_format").asString()).isEqualTo("jwt");
        String token = body.get("access_token").asString();
        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        JsonNode claims = tools.jackson.databind.json.JsonMapper.builder().build()
                .readTree(java.util.Base64.getUrlDecoder().decode(parts[1]));
        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(1);
        String limits = sf.baseUrl() + "/services/data/v62.0/limits";
        assertThat(Http.get(limits, token).status()).isEqualTo(200);
        Thread.sleep(1_100); // the JUnit thread
        assertThat(Http.get(limits, token).status()).as("past exp, however recently used").isEqualTo(401);
    }

    @Test
    void instanceUrlCanBeOverriddenAndRestored() {
        sf.controls().instanceUrl("https://acme.my.salesforce.com");
        assertThat(exchange(form(aliceToken())).json().get("instance_url").asString())
                .isEqualTo("https://acme.my.salesforce.com");
        assertThat(sf.instanceUrl()).isEqualTo("https://acme.my.salesforce.com");
        sf.controls().instanceUrl(null);
        assertThat(exchange(form(aliceToken())).json().get("instance_url").asString()).isEqualTo(sf.baseUrl());
    }
}
