package io.sfgateway.emulator;

import static io.sfgateway.emulator.Exchanges.form;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Auto-provisioned users and a custom opaque-token rule. */
class AutoProvisionAndCustomRuleTest extends EmulatorTestBase {

    @Override
    protected EmulatorConfig config() {
        return EmulatorConfig.builder()
                .autoProvisionUsers(true)
                .user("carol", "005000000000003AAA")
                .opaqueTokenRule(token -> token.startsWith("ref-") ? Optional.of("user-" + token.substring(4))
                        : Optional.empty())
                .build();
    }

    private String userIdOf(Http.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        String id = response.json().get("id").asString();
        return id.substring(id.lastIndexOf('/') + 1);
    }

    @Test
    void unknownSubjectGetsADeterministicUserId() {
        String first = userIdOf(exchange(form(sf.idp().mintToken("zoe@example.com", "salesforce-gateway"))));
        String second = userIdOf(exchange(form(sf.idp().mintToken("zoe@example.com", "salesforce-gateway"))));
        String other = userIdOf(exchange(form(sf.idp().mintToken("yves", "salesforce-gateway"))));
        assertThat(first).hasSize(18).startsWith("005").isEqualTo(second).isNotEqualTo(other);
        assertThat(SalesforceIds.withSuffix(first.substring(0, 15))).isEqualTo(first);
    }

    @Test
    void configuredUsersKeepTheirIds() {
        assertThat(userIdOf(exchange(form(sf.idp().mintToken("carol", "salesforce-gateway")))))
                .isEqualTo("005000000000003AAA");
        assertThat(userIdOf(exchange(form(sf.idp().mintToken("alice", "salesforce-gateway")))))
                .isEqualTo("005000000000001AAA");
    }

    @Test
    void customOpaqueRuleReplacesTheDefault() {
        exchange(form("ref-42"));
        assertThat(sf.counters().exchanges("user-42")).isEqualTo(1);
        Http.Response defaultStyle = exchange(form("opaque:alice"));
        assertThat(defaultStyle.status()).isEqualTo(400);
        assertThat(defaultStyle.json().get("error").asString()).isEqualTo("invalid_request");
        assertThat(defaultStyle.json().get("error_description").asString()).isEqualTo("token handler validation failed");
    }
}
