package io.sfgateway.gateway.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The probes and the Prometheus scrape target port 8081, so the pod must tell the gateway to
 * serve actuator there: otherwise every probe fails and no pod ever becomes ready.
 */
class ManagementPortTest {

    @ParameterizedTest
    @ValueSource(strings = {"base", "dev", "prod"})
    void theGatewayServesActuatorOnThePortTheProbesUse(String overlay) {
        List<Map<String, Object>> rendered = K8sOverlays.render(overlay);
        Map<String, Object> deployment = Manifests.find(rendered, "Deployment", K8sOverlays.GATEWAY);
        Map<String, Object> gateway = Manifests.named(Manifests.list(deployment, "spec.template.spec.containers"), "gateway");
        Map<String, Object> env = Manifests.named(Manifests.list(gateway, "env"), "MANAGEMENT_SERVER_PORT");
        assertThat(env).as("MANAGEMENT_SERVER_PORT is set").isNotNull();
        String port = String.valueOf(env.get("value"));
        assertThat(port).isEqualTo("8081");
        Map<String, Object> management = Manifests.named(Manifests.list(gateway, "ports"), "management");
        assertThat(String.valueOf(management.get("containerPort"))).isEqualTo(port);
        assertThat(String.valueOf(Manifests.get(deployment, "spec", "template", "metadata", "annotations",
                "prometheus.io/port"))).isEqualTo(port);
    }
}
