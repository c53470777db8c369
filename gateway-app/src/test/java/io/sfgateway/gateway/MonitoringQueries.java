package io.sfgateway.gateway;

import io.sfgateway.gateway.k8s.K8sOverlays;
import io.sfgateway.gateway.k8s.KubectlKustomize;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Prometheus metric names that the shipped dashboard and alert rules query
 * ({@code k8s/components/monitoring}), and those a gateway's {@code /actuator/prometheus} exposes.
 */
public final class MonitoringQueries {

    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "inf", "nan");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*+(?!\\s*\\()");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)");

    private MonitoringQueries() {
    }

    public static Path dir() {
        return K8sOverlays.repoRoot().resolve("k8s/components/monitoring");
    }

    public static JsonNode dashboard() {
        return JsonMapper.builder().build().readTree(read(dir().resolve("sf-gateway-dashboard.json")));
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> ruleGroups(Path file) {
        Map<String, Object> rules = (Map<String, Object>) KubectlKustomize.load(read(file));
        return (List<Map<String, Object>>) rules.get("groups");
    }

    /** Every metric name in the dashboard's queries (targets and variables) and the rules' expressions. */
    @SuppressWarnings("unchecked")
    public static Set<String> queriedNames() {
        Set<String> names = new TreeSet<>();
        JsonNode dashboard = dashboard();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                names.addAll(names(target.path("expr").asString()));
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            Matcher matcher = LABEL_VALUES.matcher(variable.path("definition").asString(""));
            if (matcher.find()) {
                names.add(matcher.group(1));
            }
        }
        for (Map<String, Object> group : ruleGroups(dir().resolve("sf-gateway.rules.yaml"))) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                names.addAll(names((String) rule.get("expr")));
            }
        }
        return names;
    }

    /** The metric names in a PromQL expression: identifiers outside strings, matchers, ranges and groupings. */
    static Set<String> names(String expr) {
        String bare = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher matcher = IDENTIFIER.matcher(bare);
        while (matcher.find()) {
            String name = matcher.group();
            if (!KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                names.add(name);
            }
        }
        return names;
    }

    /** The sample names of a Prometheus text exposition. */
    public static Set<String> exposedNames(String exposition) {
        Set<String> names = new TreeSet<>();
        exposition.lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
                .forEach(line -> names.add(line.split("[{ ]", 2)[0]));
        return names;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
