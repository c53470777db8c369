package io.sfgateway.gateway.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The production image and the manifests that run it hold no emulated org and no token-minting
 * IdP: the image is built from gateway-app.jar alone (whose contents ProductionJarIT checks), the
 * prod overlay runs only that image, and the dev overlay runs the emulator from its own image
 * (k8s/emulator.Dockerfile), never from the gateway's and never through a demo profile.
 */
class ProductionArtifactsTest {

    private static final Path ROOT = K8sOverlays.repoRoot();

    @Test
    void theGatewayImageCopiesOnlyTheProductionJar() throws IOException {
        List<String> copies = Files.readAllLines(ROOT.resolve("Dockerfile")).stream()
                .map(String::strip)
                .filter(line -> line.toUpperCase(Locale.ROOT).startsWith("COPY ") && !line.contains("--from="))
                .toList();
        assertThat(copies).containsExactly("COPY gateway-app/target/gateway-app.jar gateway-app.jar");
        assertThat(Files.readString(ROOT.resolve("Dockerfile")).toLowerCase(Locale.ROOT))
                .doesNotContain("emulator", "gateway-demo", "profiles.active", "spring_profiles_active");
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "prod"})
    void productionManifestsRunTheGatewayImageOnly(String overlay) {
        List<Map<String, Object>> rendered = K8sOverlays.render(overlay);
        assertThat(rendered.toString().toLowerCase(Locale.ROOT)).doesNotContain("emulator", "mock-oauth2", "demo");
        for (Map<String, Object> deployment : Manifests.all(rendered, "Deployment")) {
            for (Map<String, Object> container : Manifests.list(deployment, "spec.template.spec.containers")) {
                assertThat(String.valueOf(container.get("image"))).as("%s", Manifests.id(deployment))
                        .matches("(.*/)?sf-gateway(:.*)?");
            }
        }
    }

    @Test
    void devRunsTheEmulatorFromItsOwnImageBesideTheProductionGatewayImage() {
        List<Map<String, Object>> rendered = K8sOverlays.render("dev");
        Map<String, Object> gatewayDeployment = Manifests.find(rendered, "Deployment", K8sOverlays.GATEWAY);
        Map<String, Object> gateway = Manifests.named(
                Manifests.list(gatewayDeployment, "spec.template.spec.containers"), "gateway");
        assertThat(String.valueOf(gateway.get("image"))).isEqualTo("sf-gateway:dev");
        assertThat(Manifests.list(gateway, "env")).extracting(env -> env.get("name"))
                .as("no profile switches the production image into a demo").doesNotContain("SPRING_PROFILES_ACTIVE");
        assertThat(Manifests.list(gateway, "env")).extracting(env -> String.valueOf(env.get("value")))
                .noneMatch(value -> value.toLowerCase(Locale.ROOT).contains("demo"));

        Map<String, Object> emulator = Manifests.find(rendered, "Deployment", "salesforce-emulator");
        assertThat(Manifests.list(emulator, "spec.template.spec.containers"))
                .extracting(container -> container.get("image")).containsExactly("salesforce-emulator:dev");
    }
}
