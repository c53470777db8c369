package io.sfgateway.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmulatorConfigTest {

    @Test
    void defaults() {
        EmulatorConfig config = EmulatorConfig.builder().build();
        assertThat(config.port()).isZero();
        assertThat(config.idpPort()).isZero();
        assertThat(config.orgId()).isEqualTo("00D000000000001AAA");
        assertThat(config.apps()).containsExactly(ConnectedApp.confidential("demo-client", "demo-secret"));
        assertThat(config.users()).containsOnly(Map.entry("alice", "005000000000001AAA"),
                Map.entry("bob", "005000000000002AAA"));
        assertThat(config.autoProvisionUsers()).isFalse();
        assertThat(config.audience()).isEqualTo("salesforce-gateway");
        assertThat(config.sessionTimeout()).isEqualTo(Duration.ofHours(2));
        assertThat(config.opaqueTokenRule().subjectOf("opaque:zed")).contains("zed");
    }

    @Test
    void firstAppReplacesTheDefaultAndUsersAdd() {
        EmulatorConfig config = EmulatorConfig.builder()
                .app(ConnectedApp.publicClient("a"))
                .app(ConnectedApp.confidential("b", "s"))
                .user("carol", "005000000000003AAA")
                .build();
        assertThat(config.apps()).extracting(ConnectedApp::clientId).containsExactly("a", "b");
        assertThat(config.app("a").isConfidential()).isFalse();
        assertThat(config.app("missing")).isNull();
        assertThat(config.users()).containsKeys("alice", "bob", "carol");
        assertThat(EmulatorConfig.builder().clearUsers().user("x", "005000000000009AAA").build().users())
                .containsOnlyKeys("x");
    }

    @Test
    void sevenComponentConstructorStillWorks() {
        EmulatorConfig config = new EmulatorConfig(0, "00D000000000001AAA",
                List.of(ConnectedApp.publicClient("p")), Map.of(), true, "aud", Duration.ofMinutes(5));
        assertThat(config.idpPort()).isZero();
        assertThat(config.opaqueTokenRule()).isNotNull();
    }

    @Test
    void connectedAppDefaults() {
        ConnectedApp app = ConnectedApp.confidential("c", "top-secret");
        assertThat(app.acceptedTokenTypes()).containsExactlyInAnyOrder(
                "urn:ietf:params:oauth:token-type:access_token", "urn:ietf:params:oauth:token-type:id_token",
                "urn:ietf:params:oauth:token-type:JWT");
        assertThat(app.tokenHandlers()).containsExactly("DemoTokenExchangeHandler");
        assertThat(app.toString()).doesNotContain("top-secret").contains("confidential=true");
        assertThat(new ConnectedApp("c", "", app.acceptedTokenTypes(), app.tokenHandlers()).isConfidential())
                .isFalse();
    }

    @Test
    void invalidConfigIsRefused() {
        assertThatThrownBy(() -> EmulatorConfig.builder().orgId("00D1").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EmulatorConfig.builder().port(70000).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EmulatorConfig.builder().sessionTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EmulatorConfig.builder().audience(" ").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EmulatorConfig.builder().app(ConnectedApp.publicClient("a"))
                .app(ConnectedApp.publicClient("a")).build()).isInstanceOf(IllegalArgumentException.class);
    }
}
