package io.sfgateway.gateway.k8s;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/** Navigation over rendered manifests (SnakeYAML maps and lists). */
public final class Manifests {

    private Manifests() {
    }

    /** The one resource of that kind and name; fails when there is none or more than one. */
    public static Map<String, Object> find(List<Map<String, Object>> rendered, String kind, String name) {
        List<Map<String, Object>> found = rendered.stream()
                .filter(r -> kind.equals(r.get("kind")) && name.equals(get(r, "metadata", "name")))
                .toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + "/" + name + " but found " + found.size()
                    + " among " + ids(rendered));
        }
        return found.get(0);
    }

    /** Every resource of that kind. */
    public static List<Map<String, Object>> all(List<Map<String, Object>> rendered, String kind) {
        return rendered.stream().filter(r -> kind.equals(r.get("kind"))).toList();
    }

    /** kind/namespace/name of a resource. */
    public static String id(Map<String, Object> r) {
        return r.get("kind") + "/" + Objects.toString(get(r, "metadata", "namespace"), "") + "/" + get(r, "metadata", "name");
    }

    public static List<String> ids(List<Map<String, Object>> rendered) {
        return rendered.stream().map(Manifests::id).sorted().collect(Collectors.toList());
    }

    /** The value at a dotted path of map keys ("spec.template.spec"), or null. */
    public static Object at(Object root, String dottedPath) {
        return get(root, dottedPath.split("\\."));
    }

    /** The value under those map keys, or null. A key may hold dots ("prometheus.io/port"). */
    public static Object get(Object root, String... keys) {
        Object cur = root;
        for (String k : keys) {
            if (!(cur instanceof Map<?, ?> m)) {
                return null;
            }
            cur = m.get(k);
        }
        return cur;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object root, String dottedPath) {
        Object o = at(root, dottedPath);
        return o instanceof Map<?, ?> ? (Map<String, Object>) o : Map.of();
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> list(Object root, String dottedPath) {
        Object o = at(root, dottedPath);
        return o instanceof List<?> ? (List<Map<String, Object>>) o : List.of();
    }

    /** The element of a list of maps whose "name" is {@code name}, or null. */
    public static Map<String, Object> named(List<Map<String, Object>> list, String name) {
        return list.stream().filter(e -> name.equals(e.get("name"))).findFirst().orElse(null);
    }

    /** True when every label of {@code selector} is among {@code labels} (and the selector is not empty). */
    public static boolean selects(Map<String, Object> selector, Map<String, Object> labels) {
        return !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
    }
}
