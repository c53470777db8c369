package io.sfgateway.gateway.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfgateway.gateway.MonitoringQueries;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The shipped dashboard and alert rules ({@code k8s/components/monitoring}): the dashboard has
 * what Grafana needs to import it, the rules pass {@code promtool}'s checks and unit tests, the
 * PrometheusRule carries the same rules, and the component renders onto an overlay.
 */
class MonitoringComponentTest {

    static final String PROMTOOL_HINT = "promtool is not on PATH, so the alert rules' unit tests are skipped."
            + " Install it to run them: apt-get update && apt-get install -y prometheus (Debian's package ships"
            + " promtool; its service need not run), or point -Dpromtool=/path/to/promtool at one.";

    @Test
    void theDashboardHasWhatGrafanaNeedsToImportIt() {
        JsonNode dashboard = MonitoringQueries.dashboard();
        assertThat(dashboard.path("uid").asString()).isNotBlank().hasSizeLessThanOrEqualTo(40);
        assertThat(dashboard.path("title").asString()).isNotBlank();
        assertThat(dashboard.path("schemaVersion").asInt()).isBetween(36, 41);
        JsonNode datasource = null;
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("type").asString().equals("datasource")) {
                datasource = variable;
            }
        }
        assertThat(datasource).as("a data source variable").isNotNull();
        assertThat(datasource.path("query").asString()).isEqualTo("prometheus");
        String datasourceRef = "${" + datasource.path("name").asString() + "}";

        Set<Integer> ids = new HashSet<>();
        int queries = 0;
        for (JsonNode panel : dashboard.path("panels")) {
            String title = panel.path("title").asString();
            assertThat(ids.add(panel.path("id").asInt())).as("unique id of " + title).isTrue();
            assertThat(panel.path("type").asString()).as("type of " + title).isNotBlank();
            JsonNode grid = panel.path("gridPos");
            for (String field : List.of("x", "y", "w", "h")) {
                assertThat(grid.path(field).isInt()).as(title + " gridPos." + field).isTrue();
            }
            assertThat(grid.path("x").asInt() + grid.path("w").asInt()).as(title + " fits 24 columns").isLessThanOrEqualTo(24);
            if (panel.path("type").asString().equals("row")) {
                continue;
            }
            assertThat(panel.path("datasource").path("uid").asString()).as(title + " data source").isEqualTo(datasourceRef);
            assertThat(panel.path("targets").size()).as(title + " targets").isPositive();
            Set<String> refIds = new HashSet<>();
            for (JsonNode target : panel.path("targets")) {
                assertThat(refIds.add(target.path("refId").asString())).as(title + " unique refId").isTrue();
                assertThat(target.path("expr").asString()).as(title + " expr").isNotBlank();
                queries++;
            }
        }
        assertThat(queries).isGreaterThanOrEqualTo(10);
    }

    @Test
    void metricNamesAreReadFromQueriesAndNothingElse() {
        assertThat(MonitoringQueries.queriedNames()).contains("salesforce_token_exchange_seconds_bucket",
                "salesforce_api_usage", "salesforce_session_store_read_seconds_count")
                .doesNotContain("le", "registration", "rate", "histogram_quantile", "and", "unless");
    }

    @Test
    @SuppressWarnings("unchecked")
    void thePrometheusRuleCarriesTheRulesFileGroups() throws IOException {
        Map<String, Object> rule = (Map<String, Object>) KubectlKustomize.load(
                Files.readString(MonitoringQueries.dir().resolve("prometheusrule.yaml")));
        assertThat(rule.get("apiVersion")).isEqualTo("monitoring.coreos.com/v1");
        assertThat(rule.get("kind")).isEqualTo("PrometheusRule");
        assertThat(((Map<String, Object>) rule.get("spec")).get("groups"))
                .as("prometheusrule.yaml spec.groups: copy the groups of sf-gateway.rules.yaml")
                .isEqualTo(MonitoringQueries.ruleGroups(MonitoringQueries.dir().resolve("sf-gateway.rules.yaml")));
    }

    @Test
    void promtoolChecksTheRulesAndPassesTheirUnitTests() throws Exception {
        String promtool = System.getProperty("promtool", "promtool");
        Assumptions.assumeTrue(runs(List.of(promtool, "--version")) != null, PROMTOOL_HINT);
        assertThat(runs(List.of(promtool, "check", "rules", "sf-gateway.rules.yaml"))).contains("SUCCESS");
        assertThat(runs(List.of(promtool, "test", "rules", "sf-gateway.rules.test.yaml"))).contains("SUCCESS");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theComponentAddsTheRuleAndTheDashboardToAnOverlay() throws IOException {
        Path dir = K8sOverlays.targetDir().resolve("k8s-monitoring");
        Files.createDirectories(dir);
        Path root = K8sOverlays.repoRoot();
        String overlay = dir.relativize(root.resolve("k8s/overlays/prod")).toString();
        String component = dir.relativize(MonitoringQueries.dir()).toString();
        Files.writeString(dir.resolve("kustomization.yaml"), String.join("\n",
                "apiVersion: kustomize.config.k8s.io/v1beta1", "kind: Kustomization",
                // an overlay of one's own names its namespace, as prod's does; the component's resources take it
                "namespace: sf-gateway",
                "resources:", "  - " + overlay, "components:", "  - " + component, ""));
        List<Map<String, Object>> rendered = KubectlKustomize.render(dir);

        Map<String, Object> rule = Manifests.find(rendered, "PrometheusRule", "sf-gateway");
        assertThat(Manifests.at(rule, "metadata.namespace")).isEqualTo("sf-gateway");
        Map<String, Object> dashboard = Manifests.find(rendered, "ConfigMap", "sf-gateway-dashboard");
        assertThat((Map<String, Object>) Manifests.at(dashboard, "metadata.labels")).containsEntry("grafana_dashboard", "1");
        assertThat((Map<String, Object>) dashboard.get("data")).containsEntry("sf-gateway-dashboard.json",
                Files.readString(MonitoringQueries.dir().resolve("sf-gateway-dashboard.json")));
    }

    /** The command's output when it exits with 0; {@code null} when it cannot start; fails otherwise. */
    private static String runs(List<String> command) throws Exception {
        Process process;
        try {
            process = new ProcessBuilder(command).directory(MonitoringQueries.dir().toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            return null;
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not finish within 60 s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(command + ":\n" + output).isZero();
        return output;
    }
}
