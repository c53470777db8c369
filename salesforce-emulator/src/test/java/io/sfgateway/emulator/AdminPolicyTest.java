package io.sfgateway.emulator;

import static io.sfgateway.emulator.Exchanges.form;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;

/** {@code POST /__admin/policy}: a real org's refusals, switched on from another process. */
class AdminPolicyTest extends EmulatorTestBase {

    private Http.Response policy(String query) {
        return Http.send(HttpRequest.newBuilder(URI.create(sf.baseUrl() + "/__admin/policy?" + query))
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    private String error(Http.Response response) {
        assertThat(response.status()).isEqualTo(400);
        return response.json().get("error").asString();
    }

    @Test
    void eachPolicyProducesItsRefusal() {
        assertThat(policy("flow=false").status()).isEqualTo(200);
        assertThat(error(exchange(form(sf.idp().mintToken("alice", "salesforce-gateway"))))).isEqualTo("unsupported_grant_type");
        sf.reset();

        policy("scopes=web,openid");
        assertThat(error(exchange(Exchanges.with(form(sf.idp().mintToken("alice", "salesforce-gateway")), "scope", "api"))))
                .isEqualTo("invalid_scope");
        sf.reset();

        policy("deactivate=alice&withholdApproval=bob");
        assertThat(error(exchange(form(sf.idp().mintToken("alice", "salesforce-gateway"))))).isEqualTo("inactive_user");
        Http.Response bob = exchange(form(sf.idp().mintToken("bob", "salesforce-gateway")));
        assertThat(error(bob)).isEqualTo("invalid_grant");
        assertThat(bob.json().get("error_description").asString()).isEqualTo("user hasn't approved this consumer");
        sf.reset();

        policy("loginRateLimit=1");
        assertThat(exchange(form(sf.idp().mintToken("alice", "salesforce-gateway"))).status()).isEqualTo(200);
        assertThat(error(exchange(form(sf.idp().mintToken("alice", "salesforce-gateway"))))).isEqualTo("rate_limit_exceeded");
        sf.reset();

        policy("handlerRefusal=Badge%20revoked");
        Http.Response refused = exchange(form("garbage"));
        assertThat(error(refused)).isEqualTo("invalid_request");
        assertThat(refused.json().get("error_description").asString()).isEqualTo("Badge revoked");
    }

    @Test
    void aSiteAnswersUnderItsPrefix() {
        assertThat(policy("site=/partners").json().get("sitePrefix").asString()).isEqualTo("/partners");
        Http.Response answer = Http.postForm(sf.baseUrl() + "/partners/services/oauth2/token",
                form(sf.idp().mintToken("alice", "salesforce-gateway")));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("sfdc_site_url").asString()).isEqualTo(sf.baseUrl() + "/partners");
        assertThat(answer.json().get("sfdc_site_id").asString()).isEqualTo(OrgPolicies.SITE_ID);
        assertThat(answer.json().get("instance_url").asString()).isEqualTo(sf.baseUrl());
        String session = answer.json().get("access_token").asString();
        assertThat(Http.get(sf.baseUrl() + "/partners/services/data/v65.0/limits", session).status()).isEqualTo(200);
        assertThat(Http.get(data("/limits"), session).status()).as("a site session, off its site").isEqualTo(401);
    }

    @Test
    void aSiteOnAHostOfItsOwnAnswersThereOnlyAndKeepsInstanceUrlOnTheOrgsHost() {
        Http.Response set = policy("site=/partners&siteHost=127.0.0.2&siteFields=community");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        String siteOrigin = "http://127.0.0.2:" + sf.port();
        assertThat(set.json().get("siteOrigin").asString()).isEqualTo(siteOrigin);

        assertThat(Http.postForm(sf.baseUrl() + "/partners/services/oauth2/token",
                form(sf.idp().mintToken("alice", "salesforce-gateway"))).status())
                .as("the org's host no longer serves the site").isEqualTo(404);
        Http.Response answer = Http.postForm(siteOrigin + "/partners/services/oauth2/token",
                form(sf.idp().mintToken("alice", "salesforce-gateway")));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("sfdc_community_url").asString()).isEqualTo(siteOrigin + "/partners");
        assertThat(answer.json().get("sfdc_community_id").asString()).isEqualTo(OrgPolicies.SITE_ID);
        assertThat(answer.json().has("sfdc_site_url")).isFalse();
        assertThat(answer.json().get("instance_url").asString()).isEqualTo(sf.baseUrl());
        String session = answer.json().get("access_token").asString();
        assertThat(Http.get(siteOrigin + "/partners/services/data/v65.0/limits", session).status()).isEqualTo(200);
        assertThat(Http.get(data("/limits"), session).status()).as("a site session, off its site").isEqualTo(401);
        assertThat(Http.get(siteOrigin + "/services/data/v65.0/limits", session).status())
                .as("the site host serves the site only").isEqualTo(404);
        assertThat(policy("siteHost=10.0.0.1").status()).as("loopback only").isEqualTo(400);
    }

    @Test
    void environmentalAndTransientRefusals() {
        policy("restrictIp=alice");
        Http.Response alice = exchange(form(sf.idp().mintToken("alice", "salesforce-gateway")));
        assertThat(error(alice)).isEqualTo("invalid_grant");
        assertThat(alice.json().get("error_description").asString()).isEqualTo("ip restricted or invalid login hours");
        assertThat(exchange(form(sf.idp().mintToken("bob", "salesforce-gateway"))).status()).isEqualTo(200);
        sf.reset();

        Http.send(HttpRequest.newBuilder(URI.create(sf.baseUrl() + "/__admin/fault?token=UNKNOWN_ERROR"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        Http.Response transient400 = exchange(form(sf.idp().mintToken("alice", "salesforce-gateway")));
        assertThat(error(transient400)).isEqualTo("unknown_error");
        assertThat(transient400.json().get("error_description").asString()).isEqualTo("retry your request");
    }

    @Test
    void theLoginLimitIsPerUser() {
        policy("loginRateLimit=2");
        for (int i = 0; i < 2; i++) {
            assertThat(exchange(form(sf.idp().mintToken("alice", "salesforce-gateway"))).status()).isEqualTo(200);
        }
        assertThat(error(exchange(form(sf.idp().mintToken("alice", "salesforce-gateway"))))).isEqualTo("rate_limit_exceeded");
        assertThat(exchange(form(sf.idp().mintToken("bob", "salesforce-gateway"))).status())
                .as("another user's logins are counted apart").isEqualTo(200);
    }
}
