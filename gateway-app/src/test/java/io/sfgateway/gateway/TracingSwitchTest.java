package io.sfgateway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

/** OpenTelemetry, so tracing, is on exactly when an OTLP traces endpoint is configured, unless set explicitly. */
class TracingSwitchTest {

    @Test
    void offWithoutAnEndpoint() {
        assertThat(switched(new MockEnvironment())).isEqualTo("false");
    }

    @Test
    void onWithTheSpringBootEndpointOrTheStandardOpenTelemetryVariables() {
        assertThat(switched(new MockEnvironment().withProperty(TracingSwitch.ENDPOINT, "http://collector:4318/v1/traces")))
                .isEqualTo("true");
        assertThat(switched(new MockEnvironment().withProperty("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318/v1/traces")))
                .isEqualTo("true");
        assertThat(switched(new MockEnvironment().withProperty("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")))
                .isEqualTo("true");
        assertThat(switched(new MockEnvironment().withProperty("OTEL_EXPORTER_OTLP_ENDPOINT", " "))).isEqualTo("false");
    }

    @Test
    void anExplicitSettingWins() {
        MockEnvironment off = new MockEnvironment().withProperty(TracingSwitch.ENABLED, "false")
                .withProperty(TracingSwitch.ENDPOINT, "http://collector:4318/v1/traces");
        assertThat(switched(off)).isEqualTo("false");
        assertThat(off.getPropertySources().contains(TracingSwitch.SOURCE)).isFalse();
        MockEnvironment on = new MockEnvironment().withProperty(TracingSwitch.ENABLED, "true");
        assertThat(switched(on)).isEqualTo("true");
        MockEnvironment sdkDisabled = new MockEnvironment().withProperty("OTEL_SDK_DISABLED", "true")
                .withProperty("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318");
        switched(sdkDisabled);
        assertThat(sdkDisabled.getPropertySources().contains(TracingSwitch.SOURCE)).isFalse();
    }

    private static String switched(MockEnvironment environment) {
        new TracingSwitch().postProcessEnvironment(environment, new SpringApplication());
        return environment.getProperty(TracingSwitch.ENABLED);
    }
}
