package io.sfgateway.gateway.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A small Kustomize renderer: just the subset that {@code k8s/} uses, so the manifests can
 * be checked without {@code kubectl}. Anything outside the subset fails loudly rather than
 * rendering something different from {@code kubectl kustomize}.
 *
 * <p>Supported:
 * <ul>
 * <li>{@code kind: Kustomization} and {@code kind: Component};</li>
 * <li>{@code resources} (YAML files, multi-document, and directories holding a Kustomization);</li>
 * <li>{@code components} (applied to what has been accumulated so far, as Kustomize does);</li>
 * <li>{@code configMapGenerator} with {@code files} and {@code literals}, behaviors
 *     {@code create|replace|merge}, Kustomize's content-hash name suffix and the rewriting of
 *     references to the generated name in pod specs (volumes, projected volumes, env,
 *     envFrom);</li>
 * <li>{@code patches} holding strategic-merge patches ({@code path} or inline {@code patch},
 *     with or without a {@code target} by kind/name), with the Kubernetes merge keys of the
 *     lists that appear in Deployments and Services, and Kustomize's ordering of merged
 *     lists (the patch's elements first, then the remaining original ones);</li>
 * <li>{@code namespace} and {@code images} ({@code newName}, {@code newTag}, {@code digest}).</li>
 * </ul>
 * Transformers run in Kustomize's order: patches, then namespace, then images. Hash suffixes
 * are added once, after the whole tree has been accumulated.
 */
public final class Kustomize {

    private static final Set<String> SUPPORTED_FIELDS = Set.of(
            "apiVersion", "kind", "resources", "components", "configMapGenerator", "patches",
            "namespace", "images");

    private static final Set<String> CLUSTER_SCOPED_KINDS = Set.of(
            "Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition",
            "PersistentVolume", "StorageClass", "PriorityClass", "IngressClass",
            "ValidatingWebhookConfiguration", "MutatingWebhookConfiguration");

    /** Merge keys of the associative lists that strategic merge patches touch here. */
    private static final Map<String, String> MERGE_KEYS = Map.ofEntries(
            Map.entry("containers", "name"),
            Map.entry("initContainers", "name"),
            Map.entry("ephemeralContainers", "name"),
            Map.entry("env", "name"),
            Map.entry("volumes", "name"),
            Map.entry("volumeMounts", "mountPath"),
            Map.entry("volumeDevices", "devicePath"),
            Map.entry("imagePullSecrets", "name"),
            Map.entry("hostAliases", "ip"),
            Map.entry("topologySpreadConstraints", "topologyKey"));

    private Kustomize() {
    }

    /** One resource being rendered, with what Kustomize keeps about generated ConfigMaps. */
    private static final class Res {
        Map<String, Object> obj;
        final boolean generated;

        Res(Map<String, Object> obj, boolean generated) {
            this.obj = obj;
            this.generated = generated;
        }

        String kind() {
            return (String) obj.get("kind");
        }

        String name() {
            return (String) meta(obj).get("name");
        }

        String namespace() {
            return (String) meta(obj).get("namespace");
        }
    }

    /** Renders the Kustomization in {@code dir}, as {@code kubectl kustomize dir} would. */
    public static List<Map<String, Object>> build(Path dir) {
        List<Res> acc = new ArrayList<>();
        accumulate(dir.toAbsolutePath().normalize(), "Kustomization", acc);
        addHashSuffixes(acc);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Res r : acc) {
            out.add(r.obj);
        }
        return out;
    }

    // ------------------------------------------------------------------ accumulation

    @SuppressWarnings("unchecked")
    private static void accumulate(Path dir, String expectedKind, List<Res> acc) {
        Path file = dir.resolve("kustomization.yaml");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no kustomization.yaml in " + dir);
        }
        Map<String, Object> k = (Map<String, Object>) loadOne(file);
        for (String key : k.keySet()) {
            if (!SUPPORTED_FIELDS.contains(key)) {
                throw new UnsupportedOperationException(file + ": field '" + key + "' is not supported by this renderer");
            }
        }
        String kind = (String) k.getOrDefault("kind", "Kustomization");
        if (!kind.equals(expectedKind)) {
            throw new IllegalArgumentException(file + ": expected kind " + expectedKind + " but found " + kind);
        }

        for (Object entry : list(k.get("resources"))) {
            Path p = dir.resolve((String) entry).normalize();
            if (Files.isDirectory(p)) {
                List<Res> sub = new ArrayList<>();
                accumulate(p, "Kustomization", sub);
                for (Res r : sub) {
                    add(acc, r);
                }
            } else {
                for (Object doc : loadAll(p)) {
                    if (doc != null) {
                        add(acc, new Res((Map<String, Object>) doc, false));
                    }
                }
            }
        }
        for (Object entry : list(k.get("components"))) {
            accumulate(dir.resolve((String) entry).normalize(), "Component", acc);
        }
        for (Object g : list(k.get("configMapGenerator"))) {
            generateConfigMap(dir, (Map<String, Object>) g, acc);
        }
        for (Object p : list(k.get("patches"))) {
            applyPatch(dir, (Map<String, Object>) p, acc);
        }
        if (k.get("namespace") != null) {
            String ns = (String) k.get("namespace");
            for (Res r : acc) {
                if (!CLUSTER_SCOPED_KINDS.contains(r.kind())) {
                    meta(r.obj).put("namespace", ns);
                }
            }
        }
        for (Object i : list(k.get("images"))) {
            Map<String, Object> image = (Map<String, Object>) i;
            for (Res r : acc) {
                rewriteImages(r.obj, image);
            }
        }
    }

    private static void add(List<Res> acc, Res r) {
        for (Res other : acc) {
            if (other.kind().equals(r.kind()) && other.name().equals(r.name())
                    && Objects.equals(other.namespace(), r.namespace())) {
                throw new IllegalStateException("duplicate resource " + r.kind() + "/" + r.name());
            }
        }
        acc.add(r);
    }

    // ------------------------------------------------------------------ configMapGenerator

    @SuppressWarnings("unchecked")
    private static void generateConfigMap(Path dir, Map<String, Object> g, List<Res> acc) {
        for (String key : g.keySet()) {
            if (!Set.of("name", "behavior", "files", "literals").contains(key)) {
                throw new UnsupportedOperationException("configMapGenerator field '" + key + "' is not supported");
            }
        }
        String name = (String) g.get("name");
        Map<String, Object> data = new LinkedHashMap<>();
        for (Object f : list(g.get("files"))) {
            String spec = (String) f;
            String key;
            String path;
            int eq = spec.indexOf('=');
            if (eq >= 0) {
                key = spec.substring(0, eq);
                path = spec.substring(eq + 1);
            } else {
                path = spec;
                key = Path.of(spec).getFileName().toString();
            }
            data.put(key, read(dir.resolve(path)));
        }
        for (Object l : list(g.get("literals"))) {
            String spec = (String) l;
            int eq = spec.indexOf('=');
            data.put(spec.substring(0, eq), spec.substring(eq + 1));
        }
        String behavior = (String) g.getOrDefault("behavior", "create");
        switch (behavior) {
            case "create" -> {
                Map<String, Object> cm = new LinkedHashMap<>();
                cm.put("apiVersion", "v1");
                cm.put("kind", "ConfigMap");
                Map<String, Object> metadata = new LinkedHashMap<>();
                metadata.put("name", name);
                cm.put("metadata", metadata);
                cm.put("data", data);
                add(acc, new Res(cm, true));
            }
            case "replace", "merge" -> {
                Res existing = acc.stream()
                        .filter(r -> r.generated && r.kind().equals("ConfigMap") && r.name().equals(name))
                        .findFirst()
                        .orElseThrow(() -> new IllegalStateException("no generated ConfigMap " + name + " to " + behavior));
                if (behavior.equals("replace")) {
                    existing.obj.put("data", data);
                } else {
                    ((Map<String, Object>) existing.obj.computeIfAbsent("data", x -> new LinkedHashMap<>())).putAll(data);
                }
            }
            default -> throw new UnsupportedOperationException("configMapGenerator behavior " + behavior);
        }
    }

    /**
     * Kustomize's name suffix: the first 10 hex digits (a few digits mapped to letters) of a
     * SHA-256 over Go's JSON encoding of {@code {"data": data, "kind": "ConfigMap", "name": ""}}.
     * The name is always empty: Kustomize looks it up with {@code yaml.Lookup("metadata/name")},
     * which finds no field of that literal name (checked against kubectl's Kustomize v5.5.0:
     * the suffix does not depend on the name). Empty data encodes as {@code ""}.
     */
    static String configMapHash(Map<String, Object> data) {
        // Go's json.Marshal of a map: keys sorted.
        StringBuilder json = new StringBuilder("{\"data\":");
        if (data.isEmpty()) {
            json.append("\"\"");
        } else {
            json.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : new TreeMap<>(data).entrySet()) {
                if (!first) {
                    json.append(',');
                }
                first = false;
                goJsonString(json, e.getKey());
                json.append(':');
                goJsonString(json, String.valueOf(e.getValue()));
            }
            json.append('}');
        }
        json.append(",\"kind\":\"ConfigMap\",\"name\":\"\"}");
        String hex;
        try {
            hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(json.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        StringBuilder out = new StringBuilder();
        for (char c : hex.substring(0, 10).toCharArray()) {
            out.append(switch (c) {
                case '0' -> 'g';
                case '1' -> 'h';
                case '3' -> 'k';
                case 'a' -> 'm';
                case 'e' -> 't';
                default -> c;
            });
        }
        return out.toString();
    }

    /** A string as Go's encoding/json writes it (HTML-safe escaping included). */
    private static void goJsonString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> sb.append(String.format("\\u%04x", (int) c));
                default -> {
                    if (c < 0x20) {
                        throw new UnsupportedOperationException("control character in ConfigMap data");
                    }
                    sb.append(c);
                }
            }
        }
        sb.append('"');
    }

    @SuppressWarnings("unchecked")
    private static void addHashSuffixes(List<Res> acc) {
        Map<String, String> renamed = new LinkedHashMap<>();
        for (Res r : acc) {
            if (r.generated) {
                String old = r.name();
                String hashed = old + "-" + configMapHash((Map<String, Object>) r.obj.getOrDefault("data", Map.of()));
                meta(r.obj).put("name", hashed);
                renamed.put(old, hashed);
            }
        }
        if (renamed.isEmpty()) {
            return;
        }
        for (Res r : acc) {
            Object template = get(r.obj, "spec", "template", "spec");
            Object podSpec = template != null ? template : ("Pod".equals(r.kind()) ? r.obj.get("spec") : null);
            if (podSpec instanceof Map<?, ?> spec) {
                renameConfigMapRefs((Map<String, Object>) spec, renamed);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void renameConfigMapRefs(Map<String, Object> podSpec, Map<String, String> renamed) {
        for (Object v : list(podSpec.get("volumes"))) {
            Map<String, Object> volume = (Map<String, Object>) v;
            rename((Map<String, Object>) volume.get("configMap"), renamed);
            Object projected = get(volume, "projected", "sources");
            for (Object s : list(projected)) {
                rename((Map<String, Object>) ((Map<String, Object>) s).get("configMap"), renamed);
            }
        }
        for (String containersField : List.of("containers", "initContainers")) {
            for (Object c : list(podSpec.get(containersField))) {
                Map<String, Object> container = (Map<String, Object>) c;
                for (Object e : list(container.get("env"))) {
                    rename((Map<String, Object>) get((Map<String, Object>) e, "valueFrom", "configMapKeyRef"), renamed);
                }
                for (Object e : list(container.get("envFrom"))) {
                    rename((Map<String, Object>) ((Map<String, Object>) e).get("configMapRef"), renamed);
                }
            }
        }
    }

    private static void rename(Map<String, Object> ref, Map<String, String> renamed) {
        if (ref != null && ref.get("name") instanceof String n && renamed.containsKey(n)) {
            ref.put("name", renamed.get(n));
        }
    }

    // ------------------------------------------------------------------ patches

    @SuppressWarnings("unchecked")
    private static void applyPatch(Path dir, Map<String, Object> p, List<Res> acc) {
        for (String key : p.keySet()) {
            if (!Set.of("path", "patch", "target").contains(key)) {
                throw new UnsupportedOperationException("patches field '" + key + "' is not supported");
            }
        }
        Object content = p.containsKey("path") ? loadOne(dir.resolve((String) p.get("path"))) : load((String) p.get("patch"));
        if (!(content instanceof Map<?, ?>)) {
            throw new UnsupportedOperationException("only strategic-merge patches are supported (JSON 6902 patch found)");
        }
        Map<String, Object> patch = (Map<String, Object>) content;
        Map<String, Object> target = (Map<String, Object>) p.get("target");
        String kind;
        String name;
        String namespace;
        if (target != null) {
            for (String key : target.keySet()) {
                if (!Set.of("kind", "name", "namespace", "group", "version").contains(key)) {
                    throw new UnsupportedOperationException("patch target field '" + key + "' is not supported");
                }
            }
            kind = (String) target.get("kind");
            name = (String) target.get("name");
            namespace = (String) target.get("namespace");
        } else {
            kind = (String) patch.get("kind");
            name = (String) meta(patch).get("name");
            namespace = (String) meta(patch).get("namespace");
        }
        int matched = 0;
        for (Res r : acc) {
            if ((kind == null || kind.equals(r.kind())) && (name == null || name.equals(r.name()))
                    && (namespace == null || namespace.equals(r.namespace()))) {
                Map<String, Object> body = deepCopy(patch);
                if (target != null) {
                    // A targeted patch may name any resource; only its body is merged.
                    body.remove("apiVersion");
                    body.remove("kind");
                    if (body.get("metadata") instanceof Map<?, ?> m) {
                        m.remove("name");
                        m.remove("namespace");
                    }
                }
                r.obj = (Map<String, Object>) strategicMerge(r.obj, body, null);
                matched++;
            }
        }
        if (matched == 0) {
            throw new IllegalStateException("patch matches no resource: " + kind + "/" + name);
        }
    }

    /** Strategic merge of {@code patch} onto {@code original}; {@code field} names the value. */
    @SuppressWarnings("unchecked")
    static Object strategicMerge(Object original, Object patch, String field) {
        if (patch instanceof Map<?, ?> pm && original instanceof Map<?, ?> om) {
            Map<String, Object> out = new LinkedHashMap<>((Map<String, Object>) om);
            for (Map.Entry<String, Object> e : ((Map<String, Object>) pm).entrySet()) {
                String key = e.getKey();
                if (key.startsWith("$")) {
                    throw new UnsupportedOperationException("patch directive " + key + " is not supported");
                }
                if (e.getValue() == null) {
                    out.remove(key);
                } else if (out.containsKey(key)) {
                    out.put(key, strategicMerge(out.get(key), e.getValue(), key));
                } else {
                    out.put(key, deepCopy(e.getValue()));
                }
            }
            return out;
        }
        if (patch instanceof List<?> pl && original instanceof List<?> ol) {
            String mergeKey = mergeKey(field, pl);
            if (mergeKey == null) {
                return deepCopy(pl);
            }
            List<Object> out = new ArrayList<>();
            List<Object> remaining = new ArrayList<>(ol);
            for (Object pe : pl) {
                Object keyValue = ((Map<String, Object>) pe).get(mergeKey);
                Object match = null;
                for (Object oe : remaining) {
                    if (oe instanceof Map<?, ?> m && Objects.equals(m.get(mergeKey), keyValue)) {
                        match = oe;
                        break;
                    }
                }
                if (match != null) {
                    remaining.remove(match);
                    out.add(strategicMerge(match, pe, null));
                } else {
                    out.add(deepCopy(pe));
                }
            }
            out.addAll(remaining);
            return out;
        }
        return deepCopy(patch);
    }

    private static String mergeKey(String field, List<?> patchList) {
        if (field == null || patchList.isEmpty() || !(patchList.get(0) instanceof Map<?, ?> first)) {
            return null;
        }
        if (field.equals("ports")) {
            // Container ports merge on containerPort, Service ports on port.
            return first.containsKey("containerPort") ? "containerPort" : "port";
        }
        return MERGE_KEYS.get(field);
    }

    // ------------------------------------------------------------------ images

    @SuppressWarnings("unchecked")
    private static void rewriteImages(Object node, Map<String, Object> image) {
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<String, Object> e : ((Map<String, Object>) map).entrySet()) {
                if ((e.getKey().equals("containers") || e.getKey().equals("initContainers")) && e.getValue() instanceof List<?> l) {
                    for (Object c : l) {
                        Map<String, Object> container = (Map<String, Object>) c;
                        if (container.get("image") instanceof String current) {
                            container.put("image", rewriteImage(current, image));
                        }
                    }
                } else {
                    rewriteImages(e.getValue(), image);
                }
            }
        } else if (node instanceof List<?> list) {
            for (Object o : list) {
                rewriteImages(o, image);
            }
        }
    }

    static String rewriteImage(String current, Map<String, Object> image) {
        String name = current;
        String digest = null;
        String tag = null;
        int at = name.indexOf('@');
        if (at >= 0) {
            digest = name.substring(at + 1);
            name = name.substring(0, at);
        }
        int colon = name.lastIndexOf(':');
        if (colon > name.lastIndexOf('/')) {
            tag = name.substring(colon + 1);
            name = name.substring(0, colon);
        }
        if (!name.equals(image.get("name"))) {
            return current;
        }
        if (image.get("newName") != null) {
            name = String.valueOf(image.get("newName"));
        }
        if (image.get("newTag") != null) {
            tag = String.valueOf(image.get("newTag"));
            digest = null;
        }
        if (image.get("digest") != null) {
            digest = String.valueOf(image.get("digest"));
            tag = null;
        }
        return name + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }

    // ------------------------------------------------------------------ YAML and maps

    static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }

    static Object load(String text) {
        return yaml().load(text);
    }

    /** Every non-empty document of a multi-document YAML text. */
    static List<Map<String, Object>> loadDocuments(String text) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object doc : yaml().loadAll(text)) {
            if (doc != null) {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) doc;
                out.add(m);
            }
        }
        return out;
    }

    private static Object loadOne(Path file) {
        return load(read(file));
    }

    private static List<Object> loadAll(Path file) {
        List<Object> out = new ArrayList<>();
        yaml().loadAll(read(file)).forEach(out::add);
        return out;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> meta(Map<String, Object> obj) {
        return (Map<String, Object>) obj.computeIfAbsent("metadata", k -> new LinkedHashMap<>());
    }

    private static List<?> list(Object o) {
        return o == null ? List.of() : (List<?>) o;
    }

    @SuppressWarnings("unchecked")
    private static Object get(Map<String, Object> map, String... path) {
        Object cur = map;
        for (String p : path) {
            if (!(cur instanceof Map<?, ?> m)) {
                return null;
            }
            cur = ((Map<String, Object>) m).get(p);
        }
        return cur;
    }

    @SuppressWarnings("unchecked")
    static <T> T deepCopy(T o) {
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put((String) e.getKey(), deepCopy(e.getValue()));
            }
            return (T) out;
        }
        if (o instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object e : l) {
                out.add(deepCopy(e));
            }
            return (T) out;
        }
        return o;
    }
}
