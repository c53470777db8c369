package io.sfgateway.gateway.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What {@code kubectl kustomize} renders for the base and each overlay is checked in under
 * {@code k8s/rendered/}: a change to the manifests shows up in review as a change to the
 * rendered output, and a difference fails the build. After changing the manifests on purpose,
 * rewrite the files with {@code ./mvnw verify -pl gateway-app -Dk8s.updateRendered=true} and
 * commit them with the change.
 */
class RenderedGoldenTest {

    static Stream<String> overlaysAndBase() {
        return Stream.concat(Stream.of("base"), K8sOverlays.OVERLAYS.stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlaysAndBase")
    void renderingMatchesTheCheckedInOutput(String overlay) throws IOException {
        String rendered = KubectlKustomize.renderText(K8sOverlays.dir(overlay));
        Path golden = K8sOverlays.repoRoot().resolve("k8s/rendered").resolve(overlay + ".yaml");
        if (Boolean.getBoolean("k8s.updateRendered")) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, rendered, StandardCharsets.UTF_8);
        }
        assertThat(golden).as("k8s/rendered/%s.yaml is missing: render it with -Dk8s.updateRendered=true", overlay)
                .exists();
        assertThat(rendered)
                .as("kubectl kustomize %s differs from k8s/rendered/%s.yaml; if the change is intended, rewrite it"
                        + " with -Dk8s.updateRendered=true and commit it", K8sOverlays.dir(overlay), overlay)
                .isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }
}
