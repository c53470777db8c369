package io.sfgateway.gateway.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The renderer itself, on small trees whose expected output was taken from
 * {@code kubectl kustomize} (Kustomize v5.5.0), so that it stays honest where kubectl is absent.
 */
class KustomizeTest {

    @TempDir
    Path dir;

    @Test
    void configMapHashSuffixMatchesKustomize() {
        // kubectl kustomize: literals a=b -> example-4h2mbtbbt6, and example2-4h2mbtbbt6 for
        // the same data under another name; no data -> example-6ct58987ht.
        assertThat(Kustomize.configMapHash(Map.of("a", "b"))).isEqualTo("4h2mbtbbt6");
        assertThat(Kustomize.configMapHash(Map.of("a", "c"))).isEqualTo("8f2d5hh62d");
        assertThat(Kustomize.configMapHash(Map.of())).isEqualTo("6ct58987ht");
        // Newlines, tabs, quotes, backslashes and Go's HTML escaping of < > &.
        String tricky = "line one\nurl: http://x/?a=1&b=<2>\n\ttab \"quoted\" \\ back\n";
        assertThat(Kustomize.configMapHash(Map.of("data.txt", tricky))).isEqualTo("mkbhbff6bt");
    }

    @Test
    void strategicMergeOrdersListsAsKustomizeDoes() throws IOException {
        write("deployment.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: x
                spec:
                  template:
                    spec:
                      containers:
                        - name: a
                          image: a
                          env:
                            - {name: A, value: "1"}
                            - {name: B, value: "2"}
                            - {name: C, value: "3"}
                          ports:
                            - containerPort: 1
                            - containerPort: 2
                        - name: b
                          image: b
                      volumes:
                        - name: v1
                          emptyDir: {}
                """);
        write("patch.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: x
                spec:
                  template:
                    spec:
                      containers:
                        - name: c
                          image: c
                        - name: a
                          env:
                            - {name: D, value: "4"}
                            - {name: B, value: "22"}
                          ports:
                            - containerPort: 3
                      volumes:
                        - name: v2
                          emptyDir: {}
                """);
        write("kustomization.yaml", """
                resources: [deployment.yaml]
                patches:
                  - path: patch.yaml
                """);
        // What kubectl kustomize printed for the same tree.
        Object expected = Kustomize.load("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: x
                spec:
                  template:
                    spec:
                      containers:
                      - image: c
                        name: c
                      - env:
                        - name: D
                          value: "4"
                        - name: B
                          value: "22"
                        - name: A
                          value: "1"
                        - name: C
                          value: "3"
                        image: a
                        name: a
                        ports:
                        - containerPort: 3
                        - containerPort: 1
                        - containerPort: 2
                      - image: b
                        name: b
                      volumes:
                      - emptyDir: {}
                        name: v2
                      - emptyDir: {}
                        name: v1
                """);
        assertThat(Kustomize.build(dir)).containsExactly(asMap(expected));
    }

    @Test
    void nullInAPatchDeletesAndScalarListsAreReplaced() {
        Object merged = Kustomize.strategicMerge(
                Kustomize.load("{a: 1, b: 2, args: [x, y], nested: {keep: 1, drop: 2}}"),
                Kustomize.load("{b: null, args: [z], nested: {drop: null, add: 3}}"), null);
        assertThat(merged).isEqualTo(Kustomize.load("{a: 1, args: [z], nested: {keep: 1, add: 3}}"));
    }

    @Test
    void componentsNamespaceImagesAndGeneratorReplace() throws IOException {
        write("base/kustomization.yaml", """
                resources: [deployment.yaml]
                configMapGenerator:
                  - name: cfg
                    literals: [k=base]
                """);
        write("base/deployment.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: app
                spec:
                  template:
                    metadata:
                      annotations: {a: "1"}
                    spec:
                      containers:
                        - name: app
                          image: registry.local:5000/app:1.0
                          envFrom:
                            - configMapRef: {name: cfg}
                      volumes:
                        - name: config
                          configMap: {name: cfg}
                """);
        write("comp/kustomization.yaml", """
                apiVersion: kustomize.config.k8s.io/v1alpha1
                kind: Component
                patches:
                  - target: {kind: Deployment, name: app}
                    patch: |-
                      apiVersion: apps/v1
                      kind: Deployment
                      metadata:
                        name: ignored
                      spec:
                        template:
                          metadata:
                            annotations: {b: "2"}
                """);
        write("overlay/kustomization.yaml", """
                namespace: ns1
                resources: [../base]
                components: [../comp]
                images:
                  - name: registry.local:5000/app
                    newName: example.com/app
                    newTag: "2.0"
                configMapGenerator:
                  - name: cfg
                    behavior: replace
                    literals: [k=overlay]
                """);
        List<Map<String, Object>> out = Kustomize.build(dir.resolve("overlay"));
        String cmName = "cfg-7hh5m7g24g"; // as kubectl kustomize names it for this tree
        Map<String, Object> cm = Manifests.find(out, "ConfigMap", cmName);
        assertThat(cm.get("data")).isEqualTo(Map.of("k", "overlay"));
        assertThat(Manifests.at(cm, "metadata.namespace")).isEqualTo("ns1");
        Map<String, Object> d = Manifests.find(out, "Deployment", "app");
        assertThat(Manifests.at(d, "metadata.namespace")).isEqualTo("ns1");
        assertThat(Manifests.map(d, "spec.template.metadata.annotations")).containsEntry("a", "1").containsEntry("b", "2");
        Map<String, Object> container = Manifests.list(d, "spec.template.spec.containers").get(0);
        assertThat(container.get("image")).isEqualTo("example.com/app:2.0");
        assertThat(Manifests.at(Manifests.list(container, "envFrom").get(0), "configMapRef.name")).isEqualTo(cmName);
        assertThat(Manifests.at(Manifests.list(d, "spec.template.spec.volumes").get(0), "configMap.name")).isEqualTo(cmName);
    }

    @Test
    void imageRewriting() {
        Map<String, Object> tagOnly = Map.of("name", "sf-gateway", "newTag", "dev");
        assertThat(Kustomize.rewriteImage("sf-gateway", tagOnly)).isEqualTo("sf-gateway:dev");
        assertThat(Kustomize.rewriteImage("sf-gateway:1", tagOnly)).isEqualTo("sf-gateway:dev");
        assertThat(Kustomize.rewriteImage("other:1", tagOnly)).isEqualTo("other:1");
        assertThat(Kustomize.rewriteImage("sf-gateway:1", Map.of("name", "sf-gateway", "digest", "sha256:ab")))
                .isEqualTo("sf-gateway@sha256:ab");
        assertThat(Kustomize.rewriteImage("sf-gateway", Map.of("name", "sf-gateway", "newName", "r.io/x/sf-gateway")))
                .isEqualTo("r.io/x/sf-gateway");
    }

    @Test
    void failsLoudlyOutsideItsSubset() throws IOException {
        write("kustomization.yaml", """
                commonLabels: {a: b}
                """);
        assertThatThrownBy(() -> Kustomize.build(dir)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("commonLabels");

        write("kustomization.yaml", """
                resources: [cm.yaml]
                patches:
                  - target: {kind: ConfigMap, name: c}
                    patch: |-
                      - op: add
                        path: /data/x
                        value: y
                """);
        write("cm.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: c}
                """);
        assertThatThrownBy(() -> Kustomize.build(dir)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("JSON 6902");
    }

    @Test
    void aPatchThatMatchesNothingIsAnError() throws IOException {
        write("kustomization.yaml", """
                resources: [cm.yaml]
                patches:
                  - patch: |-
                      apiVersion: v1
                      kind: ConfigMap
                      metadata: {name: missing}
                      data: {a: b}
                """);
        write("cm.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: c}
                """);
        assertThatThrownBy(() -> Kustomize.build(dir)).hasMessageContaining("matches no resource");
    }

    private void write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }
}
