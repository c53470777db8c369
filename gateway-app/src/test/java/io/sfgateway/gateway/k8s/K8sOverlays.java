package io.sfgateway.gateway.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where the Kustomize tree lives and what its overlays render to. Other tests may use it to
 * get an overlay's {@code application.yaml} without depending on test order:
 * {@code K8sOverlays.writeApplicationYaml("prod")} renders the overlay and writes
 * {@code gateway-app/target/k8s/prod/application.yaml}.
 */
public final class K8sOverlays {

    /** The overlays under {@code k8s/overlays/}, each rendered and checked by {@link K8sManifestsTest}. */
    public static final List<String> OVERLAYS = List.of("dev", "prod");

    /** Name of the gateway's Deployment, Service, HPA, PDB, NetworkPolicy and Ingress. */
    public static final String GATEWAY = "sf-gateway";

    private K8sOverlays() {
    }

    /** The repository root: the nearest folder, from the working directory up, that holds {@code k8s/base}. */
    public static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve("k8s/base/kustomization.yaml"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("k8s/base/kustomization.yaml not found above " + Path.of("").toAbsolutePath());
    }

    /** {@code k8s/base} for "base", else {@code k8s/overlays/<name>}. */
    public static Path dir(String overlay) {
        Path k8s = repoRoot().resolve("k8s");
        return overlay.equals("base") ? k8s.resolve("base") : k8s.resolve("overlays").resolve(overlay);
    }

    /** The rendered resources of an overlay (or "base"). */
    public static List<Map<String, Object>> render(String overlay) {
        return KubectlKustomize.render(dir(overlay));
    }

    /** The gateway's application.yaml as the overlay's rendered ConfigMap carries it. */
    @SuppressWarnings("unchecked")
    public static String applicationYaml(List<Map<String, Object>> rendered) {
        Map<String, Object> deployment = Manifests.find(rendered, "Deployment", GATEWAY);
        String configMapName = null;
        for (Object v : (List<Object>) Manifests.at(deployment, "spec.template.spec.volumes")) {
            Map<String, Object> volume = (Map<String, Object>) v;
            if (volume.get("configMap") instanceof Map<?, ?> cm) {
                configMapName = (String) cm.get("name");
            }
        }
        if (configMapName == null) {
            throw new IllegalStateException("the gateway Deployment mounts no ConfigMap");
        }
        Map<String, Object> configMap = Manifests.find(rendered, "ConfigMap", configMapName);
        Object text = configMap.get("data") instanceof Map<?, ?> data ? data.get("application.yaml") : null;
        if (!(text instanceof String s)) {
            throw new IllegalStateException("ConfigMap " + configMapName + " has no application.yaml");
        }
        return s;
    }

    /** The module's build folder ({@code gateway-app/target}). */
    public static Path targetDir() {
        String basedir = System.getProperty("basedir");
        Path module = basedir != null ? Path.of(basedir) : repoRoot().resolve("gateway-app");
        return module.resolve("target");
    }

    /** Renders the overlay and writes its application.yaml to {@code target/k8s/<overlay>/application.yaml}. */
    public static Path writeApplicationYaml(String overlay) {
        return writeApplicationYaml(overlay, render(overlay));
    }

    static Path writeApplicationYaml(String overlay, List<Map<String, Object>> rendered) {
        Path out = targetDir().resolve("k8s").resolve(overlay).resolve("application.yaml");
        try {
            Files.createDirectories(out.getParent());
            Files.writeString(out, applicationYaml(rendered), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
