package io.sfgateway.gateway.k8s;

import static io.sfgateway.gateway.k8s.K8sOverlays.GATEWAY;
import static io.sfgateway.gateway.k8s.Manifests.at;
import static io.sfgateway.gateway.k8s.Manifests.find;
import static io.sfgateway.gateway.k8s.Manifests.get;
import static io.sfgateway.gateway.k8s.Manifests.list;
import static io.sfgateway.gateway.k8s.Manifests.map;
import static io.sfgateway.gateway.k8s.Manifests.named;
import static io.sfgateway.gateway.k8s.Manifests.selects;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Renders k8s/base and every overlay with {@code kubectl kustomize} ({@link KubectlKustomize})
 * and checks the promises of the deployment on the result; writes each overlay's
 * application.yaml to {@code target/k8s/<overlay>/application.yaml}.
 */
class K8sManifestsTest {

    private static final int HTTP_PORT = 8080;
    private static final int MANAGEMENT_PORT = 8081;
    private static final int SPRING_SHUTDOWN_PHASE_SECONDS = 20;

    private static final Set<String> REGISTRATION_KEYS = Set.of("login-url", "client-id", "client-secret",
            "grant-type", "subject-token-type", "token-handler", "scopes", "session-timeout",
            "instance-url-allowlist", "subject");
    private static final Set<String> SUBJECT_KEYS = Set.of("validate", "issuer", "jwks-uri", "audiences",
            "subject-claim", "clock-skew");
    private static final Pattern SECRETISH_NAME =
            Pattern.compile("(?i).*(secret|password|passwd|token|credential|private[_-]?key|api[_-]?key).*");
    private static final Pattern SECRET_FLAG = Pattern.compile("(?i)--[a-z-]*(secret|password)[a-z-]*=(.*)");

    private static final Map<String, List<Map<String, Object>>> RENDERED = new ConcurrentHashMap<>();

    static Stream<String> overlaysAndBase() {
        return Stream.concat(Stream.of("base"), K8sOverlays.OVERLAYS.stream());
    }

    static Stream<String> overlays() {
        return K8sOverlays.OVERLAYS.stream();
    }

    private static List<Map<String, Object>> rendered(String overlay) {
        return RENDERED.computeIfAbsent(overlay, K8sOverlays::render);
    }

    private static Map<String, Object> deployment(String overlay) {
        return find(rendered(overlay), "Deployment", GATEWAY);
    }

    private static Map<String, Object> podSpec(Map<String, Object> deployment) {
        return map(deployment, "spec.template.spec");
    }

    private static Map<String, Object> podLabels(Map<String, Object> deployment) {
        return map(deployment, "spec.template.metadata.labels");
    }

    private static Map<String, Object> gatewayContainer(String overlay) {
        Map<String, Object> c = named(list(deployment(overlay), "spec.template.spec.containers"), "gateway");
        assertThat(c).as("container 'gateway' in %s", overlay).isNotNull();
        return c;
    }

    /** A port (number or container port name) resolved against the container's ports. */
    private static int resolvePort(Map<String, Object> container, Object port) {
        if (port instanceof Integer i) {
            return i;
        }
        Map<String, Object> p = named(list(container, "ports"), String.valueOf(port));
        assertThat(p).as("container port named %s", port).isNotNull();
        return (Integer) p.get("containerPort");
    }

    private static Map<String, Object> applicationConfig(String overlay) {
        @SuppressWarnings("unchecked")
        Map<String, Object> config = (Map<String, Object>) KubectlKustomize.load(K8sOverlays.applicationYaml(rendered(overlay)));
        return config;
    }

    // ------------------------------------------------------------------ application.yaml

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlaysAndBase")
    void writesTheOverlaysApplicationYaml(String overlay) throws IOException {
        Path written = K8sOverlays.writeApplicationYaml(overlay, rendered(overlay));
        assertThat(written).endsWith(Path.of("target", "k8s", overlay, "application.yaml"));
        assertThat(Files.readString(written)).isEqualTo(K8sOverlays.applicationYaml(rendered(overlay)));
        // The file the overlay generates the ConfigMap from is the one written.
        assertThat(Files.readString(written)).isEqualTo(Files.readString(K8sOverlays.dir(overlay).resolve("application.yaml")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlaysAndBase")
    void applicationYamlIsContractConfiguration(String overlay) {
        Map<String, Object> config = applicationConfig(overlay);
        assertThat(config.keySet()).contains("spring", "salesforce")
                .isSubsetOf("spring", "salesforce", "resilience4j", "logging", "management", "server");

        Map<String, Object> tokenExchange = map(config, "salesforce.token-exchange");
        assertThat(tokenExchange.keySet()).contains("registrations").isSubsetOf("registrations", "cache", "exchange", "plain-http-hosts");
        assertThat(map(tokenExchange, "cache").keySet()).isSubsetOf("maximum-size", "refresh-ahead", "shared");
        Map<String, Object> shared = map(tokenExchange, "cache.shared");
        assertThat(shared.keySet()).isSubsetOf("enabled", "key-id", "keys", "timeout", "plain-hosts");
        // No overlay allows an unprotected Redis: dev's pod requires a password, prod's Redis TLS and an ACL user.
        assertThat(shared.get("plain-hosts")).as("cache.shared.plain-hosts in %s", overlay).isNull();
        if (Boolean.TRUE.equals(shared.get("enabled"))) {
            assertThat(map(shared, "keys")).as("the sealing key is among the keys").containsKey(String.valueOf(shared.get("key-id")));
            assertThat(map(shared, "keys").values()).as("sealing keys are placeholders filled from a Secret")
                    .allSatisfy(value -> assertThat(String.valueOf(value)).matches("\\$\\{[A-Z0-9_]+\\}"));
        }
        assertThat(map(tokenExchange, "exchange").keySet()).isSubsetOf("timeout", "max-concurrent");
        if (map(tokenExchange, "cache").get("refresh-ahead") instanceof Number refreshAhead) {
            assertThat(refreshAhead.doubleValue()).isStrictlyBetween(0.0, 1.0);
        }

        Map<String, Object> registrations = map(tokenExchange, "registrations");
        assertThat(registrations).isNotEmpty();
        registrations.forEach((name, value) -> {
            Map<String, Object> reg = castMap(value);
            assertThat(reg.keySet()).as("keys of registration %s", name).isSubsetOf(REGISTRATION_KEYS)
                    .contains("login-url", "client-id", "session-timeout", "instance-url-allowlist");
            assertThat(reg.get("client-id")).isEqualTo("${SF_CLIENT_ID}");
            assertThat(reg.get("client-secret")).as("client-secret of %s", name)
                    .isIn("${SF_CLIENT_SECRET:}", "${SF_CLIENT_SECRET}");
            assertThat(reg.get("grant-type")).isIn(null, "token-exchange", "hybrid-token-exchange");
            assertThat(URI.create((String) reg.get("login-url")).getScheme()).isIn("http", "https");
            List<?> allowlist = (List<?>) reg.get("instance-url-allowlist");
            assertThat(allowlist).isNotEmpty();
            for (Object pattern : allowlist) {
                assertThat((String) pattern).matches("https?://(\\*\\.)?[A-Za-z0-9.-]+(:\\d+)?");
            }
            Map<String, Object> subject = map(reg, "subject");
            assertThat(subject.keySet()).isSubsetOf(SUBJECT_KEYS);
            if (!Boolean.FALSE.equals(subject.get("validate"))) {
                assertThat(subject).as("subject.validate true needs jwks-uri and issuer").containsKeys("jwks-uri", "issuer");
            }
        });

        List<Map<String, Object>> routes = list(config, "spring.cloud.gateway.server.webflux.routes");
        assertThat(routes).isNotEmpty();
        boolean anyExchangeRoute = false;
        for (Map<String, Object> route : routes) {
            assertThat(route).containsKeys("id", "uri", "predicates");
            for (Object filter : (List<?>) route.getOrDefault("filters", List.of())) {
                Matcher m = Pattern.compile("SalesforceTokenExchange=(.+)").matcher(String.valueOf(filter));
                if (m.matches()) {
                    anyExchangeRoute = true;
                    String registration = m.group(1).trim();
                    assertThat(registrations).as("registration named by route %s", route.get("id")).containsKey(registration);
                    List<?> allowlist = (List<?>) castMap(registrations.get(registration)).get("instance-url-allowlist");
                    assertThat(allowlist.stream().anyMatch(p -> allowlistMatches((String) p, (String) route.get("uri"))))
                            .as("route %s's uri %s is in its registration's allowlist", route.get("id"), route.get("uri"))
                            .isTrue();
                }
            }
        }
        assertThat(anyExchangeRoute).as("a route carries SalesforceTokenExchange").isTrue();
    }

    /** docs/CONFIGURATION.md: scheme://host[:port], "*." matches one or more labels, no port = default port. */
    static boolean allowlistMatches(String pattern, String url) {
        Matcher p = Pattern.compile("(https?)://(\\*\\.)?([A-Za-z0-9.-]+)(?::(\\d+))?").matcher(pattern);
        if (!p.matches()) {
            return false;
        }
        URI uri = URI.create(url);
        int defaultPort = p.group(1).equals("https") ? 443 : 80;
        int patternPort = p.group(4) != null ? Integer.parseInt(p.group(4)) : defaultPort;
        int uriPort = uri.getPort() >= 0 ? uri.getPort() : (uri.getScheme().equals("https") ? 443 : 80);
        String host = uri.getHost().toLowerCase();
        String rest = p.group(3).toLowerCase();
        boolean hostMatches = p.group(2) != null ? host.endsWith("." + rest) && host.length() > rest.length() + 1 : host.equals(rest);
        return uri.getScheme().equals(p.group(1)) && patternPort == uriPort && hostMatches;
    }

    @Test
    void allowlistMatcherFollowsTheContract() {
        assertThat(allowlistMatches("https://*.my.salesforce.com", "https://acme.my.salesforce.com")).isTrue();
        assertThat(allowlistMatches("https://*.my.salesforce.com", "https://a.b.my.salesforce.com:443/x")).isTrue();
        assertThat(allowlistMatches("https://*.my.salesforce.com", "https://my.salesforce.com")).isFalse();
        assertThat(allowlistMatches("https://*.my.salesforce.com", "http://acme.my.salesforce.com")).isFalse();
        assertThat(allowlistMatches("http://salesforce-emulator:8090", "http://salesforce-emulator:8090")).isTrue();
        assertThat(allowlistMatches("http://salesforce-emulator:8090", "http://salesforce-emulator")).isFalse();
    }

    // ------------------------------------------------------------------ the Deployment

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlaysAndBase")
    void probesUseTheActuatorHealthGroupsOnTheManagementPort(String overlay) {
        Map<String, Object> c = gatewayContainer(overlay);
        assertThat(resolvePort(c, "http")).isEqualTo(HTTP_PORT);
        assertThat(resolvePort(c, "management")).isEqualTo(MANAGEMENT_PORT);

        assertThat(at(c, "livenessProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
        assertThat(resolvePort(c, at(c, "livenessProbe.httpGet.port"))).isEqualTo(MANAGEMENT_PORT);
        assertThat(at(c, "readinessProbe.httpGet.path")).isEqualTo("/actuator/health/readiness");
        assertThat(resolvePort(c, at(c, "readinessProbe.httpGet.port"))).isEqualTo(MANAGEMENT_PORT);

        Map<String, Object> startup = map(c, "startupProbe");
        assertThat(startup).as("startupProbe").isNotEmpty();
        assertThat((String) at(startup, "httpGet.path")).startsWith("/actuator/health");
        assertThat(resolvePort(c, at(startup, "httpGet.port"))).isEqualTo(MANAGEMENT_PORT);
        int startupBudget = ((Integer) startup.getOrDefault("periodSeconds", 10)) * ((Integer) startup.getOrDefault("failureThreshold", 3));
        assertThat(startupBudget).as("seconds the startup probe allows").isGreaterThanOrEqualTo(60);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlaysAndBase")
    void everyWorkloadIsLockedDown(String overlay) {
        List<Map<String, Object>> deployments = Manifests.all(rendered(overlay), "Deployment");
        assertThat(deployments).isNotEmpty();
        for (Map<String, Object> d : deployments) {
            String what = Manifests.id(d);
            Map<String, Object> pod = podSpec(d);
            Map<String, Object> podSecurity = map(pod, "securityContext");
            assertThat(pod.get("hostNetwork")).as("%s hostNetwork", what).isNotEqualTo(true);
            assertThat(pod.get("hostPID")).as("%s hostPID", what).isNotEqualTo(true);
            assertThat(pod.get("automountServiceAccountToken")).as("%s automountServiceAccountToken", what).isEqualTo(false);
            assertThat(podSecurity.get("runAsUser")).as("%s runAsUser", what).isNotEqualTo(0);
            for (Map<String, Object> c : list(pod, "containers")) {
                String cw = what + " container " + c.get("name");
                Map<String, Object> sc = map(c, "securityContext");
                Object runAsNonRoot = sc.getOrDefault("runAsNonRoot", podSecurity.get("runAsNonRoot"));
                assertThat(runAsNonRoot).as("%s runAsNonRoot", cw).isEqualTo(true);
                assertThat(sc.get("runAsUser")).as("%s runAsUser", cw).isNotEqualTo(0);
                assertThat(sc.get("readOnlyRootFilesystem")).as("%s readOnlyRootFilesystem", cw).isEqualTo(true);
                assertThat(sc.get("allowPrivilegeEscalation")).as("%s allowPrivilegeEscalation", cw).isEqualTo(false);
                assertThat(sc.get("privileged")).as("%s privileged", cw).isNotEqualTo(true);
                assertThat(castList(at(sc, "capabilities.drop"))).as("%s capabilities.drop", cw).contains("ALL");
                assertThat(at(sc, "capabilities.add")).as("%s capabilities.add", cw).isNull();
                Object seccomp = at(sc, "seccompProfile.type") != null ? at(sc, "seccompProfile.type")
                        : at(podSecurity, "seccompProfile.type");
                assertThat(seccomp).as("%s seccomp", cw).isEqualTo("RuntimeDefault");

                for (String kind : List.of("requests", "limits")) {
                    assertThat(map(c, "resources." + kind)).as("%s resources.%s", cw, kind).containsKeys("cpu", "memory");
                }
                assertThat(memoryBytes(at(c, "resources.limits.memory")))
                        .as("%s memory limit >= request", cw)
                        .isGreaterThanOrEqualTo(memoryBytes(at(c, "resources.requests.memory")));

                // A read-only root file system needs a writable /tmp (the JVM, Netty's native libraries).
                Map<String, Object> tmpMount = list(c, "volumeMounts").stream()
                        .filter(m -> "/tmp".equals(m.get("mountPath"))).findFirst().orElse(null);
                assertThat(tmpMount).as("%s mounts /tmp", cw).isNotNull();
                assertThat(named(list(pod, "volumes"), (String) tmpMount.get("name"))).as("%s /tmp volume", cw)
                        .containsKey("emptyDir");
            }
        }
    }

    private static long memoryBytes(Object quantity) {
        Matcher m = Pattern.compile("(\\d+)(Ki|Mi|Gi|K|M|G)?").matcher(String.valueOf(quantity));
        assertThat(m.matches()).as("memory quantity %s", quantity).isTrue();
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2);
        return switch (unit) {
            case "Ki" -> n << 10;
            case "Mi" -> n << 20;
            case "Gi" -> n << 30;
            case "K" -> n * 1_000;
            case "M" -> n * 1_000_000;
            case "G" -> n * 1_000_000_000;
            default -> n;
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlaysAndBase")
    void shutsDownGracefully(String overlay) {
        Map<String, Object> c = gatewayContainer(overlay);
        Map<String, Object> preStop = map(c, "lifecycle.preStop");
        assertThat(preStop).as("preStop").isNotEmpty();
        int preStopSeconds;
        if (at(preStop, "sleep.seconds") instanceof Integer seconds) {
            preStopSeconds = seconds;
        } else {
            String command = String.join(" ", castList(at(preStop, "exec.command")));
            Matcher m = Pattern.compile(".*\\bsleep (\\d+).*").matcher(command);
            assertThat(m.matches()).as("preStop sleeps: %s", command).isTrue();
            preStopSeconds = Integer.parseInt(m.group(1));
        }
        assertThat(preStopSeconds).as("preStop pause lets endpoints drain").isGreaterThanOrEqualTo(5);
        Object grace = podSpec(deployment(overlay)).get("terminationGracePeriodSeconds");
        assertThat(grace).as("terminationGracePeriodSeconds").isInstanceOf(Integer.class);
        assertThat((Integer) grace).isGreaterThan(preStopSeconds + SPRING_SHUTDOWN_PHASE_SECONDS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlaysAndBase")
    void spreadsAcrossZonesAndNodes(String overlay) {
        Map<String, Object> d = deployment(overlay);
        List<Map<String, Object>> constraints = list(d, "spec.template.spec.topologySpreadConstraints");
        assertThat(constraints).extracting(c -> c.get("topologyKey"))
                .contains("topology.kubernetes.io/zone", "kubernetes.io/hostname");
        for (Map<String, Object> c : constraints) {
            assertThat((Integer) c.get("maxSkew")).isGreaterThanOrEqualTo(1);
            assertThat(c.get("whenUnsatisfiable")).isIn("ScheduleAnyway", "DoNotSchedule");
            assertThat(selects(map(c, "labelSelector.matchLabels"), podLabels(d)))
                    .as("spread constraint on %s selects the gateway's pods", c.get("topologyKey")).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlaysAndBase")
    void serviceAccountTokenIsNotMounted(String overlay) {
        Map<String, Object> pod = podSpec(deployment(overlay));
        String serviceAccount = (String) pod.get("serviceAccountName");
        assertThat(serviceAccount).isNotBlank();
        assertThat(find(rendered(overlay), "ServiceAccount", serviceAccount).get("automountServiceAccountToken")).isEqualTo(false);
        assertThat(pod.get("automountServiceAccountToken")).isEqualTo(false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlaysAndBase")
    void configComesFromTheConfigMapAndSecrets(String overlay) {
        Map<String, Object> c = gatewayContainer(overlay);
        List<Map<String, Object>> env = list(c, "env");
        assertThat(named(env, "SPRING_CONFIG_ADDITIONAL_LOCATION")).containsEntry("value", "optional:file:/config/");

        Map<String, Object> configMount = list(c, "volumeMounts").stream()
                .filter(m -> "/config".equals(m.get("mountPath")) || "/config/".equals(m.get("mountPath")))
                .findFirst().orElseThrow(() -> new AssertionError("nothing mounted at /config"));
        Map<String, Object> volume = named(list(deployment(overlay), "spec.template.spec.volumes"), (String) configMount.get("name"));
        String configMapName = (String) at(volume, "configMap.name");
        assertThat(configMapName).as("/config is a ConfigMap volume").isNotNull();
        assertThat(map(find(rendered(overlay), "ConfigMap", configMapName), "data")).containsKey("application.yaml");

        for (String name : List.of("SF_CLIENT_ID", "SF_CLIENT_SECRET")) {
            Map<String, Object> var = named(env, name);
            assertThat(var).as("env %s", name).isNotNull().doesNotContainKey("value");
            assertThat(map(var, "valueFrom.secretKeyRef")).as("env %s from a Secret", name).containsKeys("name", "key");
            assertThat(at(var, "valueFrom.secretKeyRef.optional")).as("env %s required", name).isNotEqualTo(true);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlaysAndBase")
    void prometheusScrapesTheManagementPort(String overlay) {
        Map<String, Object> annotations = map(deployment(overlay), "spec.template.metadata.annotations");
        assertThat(annotations).containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", String.valueOf(MANAGEMENT_PORT))
                .containsEntry("prometheus.io/path", "/actuator/prometheus");
    }

    // ------------------------------------------------------------------ Services and Ingress

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlaysAndBase")
    void trafficServiceExposesOnlyTheHttpPort(String overlay) {
        Map<String, Object> d = deployment(overlay);
        Map<String, Object> c = gatewayContainer(overlay);
        Map<String, Object> service = find(rendered(overlay), "Service", GATEWAY);
        assertThat(selects(map(service, "spec.selector"), podLabels(d))).isTrue();
        List<Map<String, Object>> ports = list(service, "spec.ports");
        assertThat(ports).hasSize(1);
        assertThat(ports.get(0).get("port")).isEqualTo(80);
        assertThat(resolvePort(c, ports.get(0).getOrDefault("targetPort", ports.get(0).get("port")))).isEqualTo(HTTP_PORT);

        // Whatever else exposes the management port is not what the Ingress sends traffic to.
        for (Map<String, Object> s : Manifests.all(rendered(overlay), "Service")) {
            if (!selects(map(s, "spec.selector"), podLabels(d))) {
                continue;
            }
            for (Map<String, Object> p : list(s, "spec.ports")) {
                if (resolvePort(c, p.getOrDefault("targetPort", p.get("port"))) == MANAGEMENT_PORT) {
                    assertThat(at(s, "metadata.name")).isNotEqualTo(GATEWAY);
                    assertThat(ingressBackends(overlay)).extracting(b -> b.get("name")).doesNotContain(at(s, "metadata.name"));
                }
            }
        }
    }

    private static List<Map<String, Object>> ingressBackends(String overlay) {
        List<Map<String, Object>> backends = new ArrayList<>();
        for (Map<String, Object> ingress : Manifests.all(rendered(overlay), "Ingress")) {
            if (at(ingress, "spec.defaultBackend.service") != null) {
                backends.add(map(ingress, "spec.defaultBackend.service"));
            }
            for (Map<String, Object> rule : list(ingress, "spec.rules")) {
                for (Map<String, Object> path : list(rule, "http.paths")) {
                    backends.add(map(path, "backend.service"));
                }
            }
        }
        return backends;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlaysAndBase")
    void ingressSendsTrafficToTheGatewayService(String overlay) {
        Map<String, Object> ingress = find(rendered(overlay), "Ingress", GATEWAY);
        assertThat(at(ingress, "spec.ingressClassName")).isEqualTo("nginx");
        List<Map<String, Object>> backends = ingressBackends(overlay);
        assertThat(backends).isNotEmpty();
        Map<String, Object> service = find(rendered(overlay), "Service", GATEWAY);
        Map<String, Object> servicePort = list(service, "spec.ports").get(0);
        for (Map<String, Object> backend : backends) {
            assertThat(backend.get("name")).isEqualTo(GATEWAY);
            Object port = at(backend, "port.number") != null ? at(backend, "port.number") : at(backend, "port.name");
            assertThat(port).isIn(servicePort.get("port"), servicePort.get("name"));
        }
    }

    // ------------------------------------------------------------------ HPA, PDB

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlaysAndBase")
    void autoscalerScalesTheDeploymentOnCpu(String overlay) {
        Map<String, Object> d = deployment(overlay);
        Map<String, Object> hpa = find(rendered(overlay), "HorizontalPodAutoscaler", GATEWAY);
        assertThat(hpa.get("apiVersion")).isEqualTo("autoscaling/v2");
        assertThat(at(hpa, "metadata.namespace")).isEqualTo(at(d, "metadata.namespace"));
        assertThat(map(hpa, "spec.scaleTargetRef")).containsEntry("apiVersion", "apps/v1")
                .containsEntry("kind", "Deployment").containsEntry("name", at(d, "metadata.name"));
        assertThat(list(hpa, "spec.metrics")).anySatisfy(m -> {
            assertThat(m.get("type")).isEqualTo("Resource");
            assertThat(at(m, "resource.name")).isEqualTo("cpu");
            assertThat(at(m, "resource.target.type")).isEqualTo("Utilization");
            assertThat((Integer) at(m, "resource.target.averageUtilization")).isBetween(1, 100);
        });
        int min = (Integer) at(hpa, "spec.minReplicas");
        int max = (Integer) at(hpa, "spec.maxReplicas");
        assertThat(min).isPositive().isLessThanOrEqualTo(max);
        // The HPA owns the replica count; a replicas field would reset it on every apply.
        assertThat(map(d, "spec")).doesNotContainKey("replicas");
        assertThat(selects(map(d, "spec.selector.matchLabels"), podLabels(d))).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlaysAndBase")
    void disruptionBudgetCoversExactlyTheGatewayPods(String overlay) {
        Map<String, Object> d = deployment(overlay);
        Map<String, Object> pdb = find(rendered(overlay), "PodDisruptionBudget", GATEWAY);
        assertThat(pdb.get("apiVersion")).isEqualTo("policy/v1");
        assertThat(map(pdb, "spec.selector.matchLabels")).isEqualTo(map(d, "spec.selector.matchLabels"));
        assertThat(selects(map(pdb, "spec.selector.matchLabels"), podLabels(d))).isTrue();
        for (Map<String, Object> other : Manifests.all(rendered(overlay), "Deployment")) {
            if (other != d) {
                assertThat(selects(map(pdb, "spec.selector.matchLabels"), podLabels(other)))
                        .as("PDB also selects %s", Manifests.id(other)).isFalse();
            }
        }
        Map<String, Object> hpa = find(rendered(overlay), "HorizontalPodAutoscaler", GATEWAY);
        if (at(pdb, "spec.minAvailable") instanceof Integer minAvailable) {
            assertThat(minAvailable).as("minAvailable below the HPA's minimum, or no node can ever be drained")
                    .isLessThan((Integer) at(hpa, "spec.minReplicas"));
        } else {
            assertThat(at(pdb, "spec.maxUnavailable")).isNotNull();
        }
    }

    // ------------------------------------------------------------------ NetworkPolicy

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlaysAndBase")
    void networkPolicyAdmitsOnlyTheIngressControllerAndMonitoring(String overlay) {
        Map<String, Object> d = deployment(overlay);
        Map<String, Object> c = gatewayContainer(overlay);
        List<Map<String, Object>> policies = Manifests.all(rendered(overlay), "NetworkPolicy").stream()
                .filter(p -> map(p, "spec.podSelector").isEmpty()
                        || selects(map(p, "spec.podSelector.matchLabels"), podLabels(d)))
                .toList();
        assertThat(policies).anySatisfy(p -> assertThat(castList(at(p, "spec.policyTypes"))).contains("Ingress", "Egress"));

        Set<String> ingressAllowed = new HashSet<>();
        Set<String> egressAllowed = new HashSet<>();
        for (Map<String, Object> p : policies) {
            for (Map<String, Object> rule : list(p, "spec.ingress")) {
                List<Map<String, Object>> from = list(rule, "from");
                assertThat(from).as("ingress rule without 'from' admits everyone: %s", rule).isNotEmpty();
                assertThat(list(rule, "ports")).as("ingress rule without ports admits every port: %s", rule).isNotEmpty();
                for (Map<String, Object> peer : from) {
                    assertThat(peer.keySet()).as("ingress peers are namespaces: %s", peer).containsOnly("namespaceSelector");
                    Map<String, Object> nsLabels = map(peer, "namespaceSelector.matchLabels");
                    assertThat(nsLabels.keySet()).containsOnly("kubernetes.io/metadata.name");
                    for (Map<String, Object> port : list(rule, "ports")) {
                        ingressAllowed.add(nsLabels.get("kubernetes.io/metadata.name") + "->"
                                + port.getOrDefault("protocol", "TCP") + "/" + resolvePort(c, port.get("port")));
                    }
                }
            }
            for (Map<String, Object> rule : list(p, "spec.egress")) {
                List<Map<String, Object>> ports = list(rule, "ports");
                assertThat(ports).as("egress rule without ports allows every port: %s", rule).isNotEmpty();
                List<Map<String, Object>> to = list(rule, "to");
                for (Map<String, Object> port : ports) {
                    String proto = (String) port.getOrDefault("protocol", "TCP");
                    int number = (Integer) port.get("port");
                    if (to.isEmpty()) {
                        egressAllowed.add(proto + "/" + number);
                    } else {
                        // Anything besides DNS and HTTPS may only go to pods of this namespace (dev's emulator and
                        // Redis), or to one address block on the Redis port (prod's external Redis).
                        for (Map<String, Object> peer : to) {
                            if (peer.containsKey("ipBlock")) {
                                assertThat(peer.keySet()).as("egress to addresses: %s", rule).containsOnly("ipBlock");
                                assertThat((String) at(peer, "ipBlock.cidr")).as("egress to addresses: %s", rule)
                                        .matches("[0-9a-fA-F.:]+/\\d+").isNotIn("0.0.0.0/0", "::/0");
                                assertThat(number).as("egress to addresses is to Redis only: %s", rule)
                                        .isEqualTo(redisPort(overlay));
                                continue;
                            }
                            assertThat(peer.keySet()).as("egress beyond DNS/HTTPS goes to in-namespace pods: %s", rule)
                                    .containsOnly("podSelector");
                            assertThat(map(peer, "podSelector.matchLabels")).isNotEmpty();
                        }
                    }
                }
            }
        }
        assertThat(ingressAllowed).containsExactlyInAnyOrder(
                "ingress-nginx->TCP/" + HTTP_PORT, "monitoring->TCP/" + MANAGEMENT_PORT);
        assertThat(egressAllowed).containsExactlyInAnyOrder("UDP/53", "TCP/53", "TCP/443");
    }

    /** The port the gateway's application.yaml connects to Redis on (Spring Boot's default 6379 when unset). */
    private static int redisPort(String overlay) {
        return at(applicationConfig(overlay), "spring.data.redis.port") instanceof Integer port ? port : 6379;
    }

    // ------------------------------------------------------------------ secrets

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlaysAndBase")
    void noSecretLiteralInAnyManifest(String overlay) throws IOException {
        List<Map<String, Object>> resources = rendered(overlay);
        assertThat(resources).extracting(r -> r.get("kind")).as("Secrets are created outside Git").doesNotContain("Secret");
        for (Map<String, Object> d : Manifests.all(resources, "Deployment")) {
            for (Map<String, Object> c : list(d, "spec.template.spec.containers")) {
                for (Map<String, Object> var : list(c, "env")) {
                    if (SECRETISH_NAME.matcher((String) var.get("name")).matches()) {
                        assertThat(var).as("%s env %s", Manifests.id(d), var.get("name")).doesNotContainKey("value");
                        assertThat(map(var, "valueFrom.secretKeyRef")).as("%s env %s", Manifests.id(d), var.get("name")).isNotEmpty();
                    }
                }
                for (String field : List.of("args", "command")) {
                    for (Object arg : (List<?>) c.getOrDefault(field, List.of())) {
                        Matcher m = SECRET_FLAG.matcher(String.valueOf(arg));
                        if (m.matches()) {
                            assertThat(m.group(2)).as("%s %s %s", Manifests.id(d), field, arg).matches("\\$\\([A-Z0-9_]+\\)");
                        }
                    }
                }
            }
        }
        // The configuration carries placeholders only.
        assertNoSecretValues(applicationConfig(overlay), "application.yaml");
        // And the demo org's well-known secret is nowhere in the k8s tree's YAML.
        try (Stream<Path> files = Files.walk(K8sOverlays.repoRoot().resolve("k8s"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).toList()) {
                assertThat(Files.readString(f)).as("%s", f).doesNotContain("demo-secret");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void assertNoSecretValues(Object node, String where) {
        if (node instanceof Map<?, ?> m) {
            for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) {
                if (e.getValue() instanceof String s && Pattern.compile("(?i).*(secret|password).*").matcher(e.getKey()).matches()) {
                    assertThat(s).as("%s.%s", where, e.getKey()).matches("\\$\\{[A-Z0-9_]+(:)?\\}|");
                }
                assertNoSecretValues(e.getValue(), where + "." + e.getKey());
            }
        } else if (node instanceof List<?> l) {
            for (Object o : l) {
                assertNoSecretValues(o, where);
            }
        }
    }

    // ------------------------------------------------------------------ per overlay

    @Test
    void prodTalksToARealOrgThroughStickySessions() {
        String overlay = "prod";
        Map<String, Object> ingress = find(rendered(overlay), "Ingress", GATEWAY);
        assertThat(map(ingress, "metadata.annotations"))
                .containsEntry("nginx.ingress.kubernetes.io/upstream-hash-by", "$http_authorization");
        assertThat(list(ingress, "spec.tls")).isNotEmpty();

        String image = (String) gatewayContainer(overlay).get("image");
        assertThat(image).as("prod image from a registry with an explicit version").contains("/").matches(".*(:[\\w.-]+|@sha256:[0-9a-f]+)$")
                .doesNotEndWith(":latest");

        for (Map<String, Object> r : rendered(overlay)) {
            assertThat(at(r, "metadata.namespace")).as("namespace of %s", Manifests.id(r)).isEqualTo("sf-gateway");
        }
        assertThat(Manifests.all(rendered(overlay), "Deployment")).as("prod runs the gateway only").hasSize(1);
        assertThat((Integer) at(find(rendered(overlay), "HorizontalPodAutoscaler", GATEWAY), "spec.minReplicas"))
                .as("prod survives losing a pod").isGreaterThanOrEqualTo(2);

        Map<String, Object> secretRef = map(named(list(gatewayContainer(overlay), "env"), "SF_CLIENT_SECRET"), "valueFrom.secretKeyRef");
        assertThat(secretRef).containsEntry("name", "sf-gateway-salesforce").containsEntry("key", "client-secret");

        Map<String, Object> registrations = map(applicationConfig(overlay), "salesforce.token-exchange.registrations");
        registrations.forEach((name, value) -> {
            Map<String, Object> reg = castMap(value);
            assertThat((String) reg.get("login-url")).startsWith("https://");
            assertThat(castList(reg.get("instance-url-allowlist"))).allMatch(p -> p.startsWith("https://"));
            assertThat(at(reg, "subject.validate")).as("prod validates callers' JWTs").isEqualTo(true);
            assertThat((String) at(reg, "subject.jwks-uri")).startsWith("https://");
        });
        assertThat(K8sOverlays.applicationYaml(rendered(overlay))).doesNotContain("emulator", "localhost");
    }

    @Test
    void devRunsTheEmulatedOrgBesideTheGateway() {
        String overlay = "dev";
        List<Map<String, Object>> resources = rendered(overlay);
        Map<String, Object> emulator = find(resources, "Deployment", "salesforce-emulator");
        Map<String, Object> emulatorService = find(resources, "Service", "salesforce-emulator");
        assertThat(selects(map(emulatorService, "spec.selector"), podLabels(emulator))).isTrue();
        assertThat(list(emulatorService, "spec.ports")).extracting(p -> p.get("port")).containsExactly(8090);

        Map<String, Object> container = list(emulator, "spec.template.spec.containers").get(0);
        assertThat(resolvePort(container, list(emulatorService, "spec.ports").get(0).get("targetPort"))).isEqualTo(8090);
        assertThat(castList(container.get("args"))).contains("--port=8090", "--auto-provision-users=true",
                "--client-id=$(SF_CLIENT_ID)", "--client-secret=$(SF_CLIENT_SECRET)",
                // Reachable from the gateway's pod, and issuing an instance_url the gateway can reach.
                "--host=0.0.0.0", "--instance-url=http://salesforce-emulator:8090");
        for (String name : List.of("SF_CLIENT_ID", "SF_CLIENT_SECRET")) {
            // The emulator and the gateway read the same Secret, so they agree on the client.
            assertThat(at(named(list(container, "env"), name), "valueFrom.secretKeyRef"))
                    .isEqualTo(at(named(list(gatewayContainer(overlay), "env"), name), "valueFrom.secretKeyRef"));
        }

        Map<String, Object> registrations = map(applicationConfig(overlay), "salesforce.token-exchange.registrations");
        assertThat(registrations).hasSize(1);
        Map<String, Object> reg = castMap(registrations.values().iterator().next());
        assertThat(reg.get("login-url")).isEqualTo("http://salesforce-emulator:8090");
        assertThat(castList(reg.get("instance-url-allowlist"))).containsExactly("http://salesforce-emulator:8090");
        assertThat(at(reg, "subject.validate")).isEqualTo(false);
        String instanceUrl = castList(container.get("args")).stream().filter(a -> a.startsWith("--instance-url="))
                .findFirst().orElseThrow().substring("--instance-url=".length());
        assertThat(castList(reg.get("instance-url-allowlist"))).anyMatch(p -> allowlistMatches(p, instanceUrl));

        // The gateway may reach the emulator: a NetworkPolicy egress rule to its pods on 8090.
        Map<String, Object> gateway = deployment(overlay);
        boolean egressToEmulator = Manifests.all(resources, "NetworkPolicy").stream()
                .filter(p -> selects(map(p, "spec.podSelector.matchLabels"), podLabels(gateway)))
                .flatMap(p -> list(p, "spec.egress").stream())
                .anyMatch(rule -> list(rule, "to").stream().anyMatch(peer -> selects(map(peer, "podSelector.matchLabels"), podLabels(emulator)))
                        && list(rule, "ports").stream().anyMatch(port -> Integer.valueOf(8090).equals(port.get("port"))));
        assertThat(egressToEmulator).isTrue();

        for (Map<String, Object> r : resources) {
            assertThat(at(r, "metadata.namespace")).as("namespace of %s", Manifests.id(r)).isEqualTo("sf-gateway-dev");
        }
        assertThat(gatewayContainer(overlay).get("image")).isEqualTo("sf-gateway:dev");
        assertThat(container.get("image")).isEqualTo("salesforce-emulator:dev");
    }

    @Test
    void devsRedisRequiresThePasswordTheGatewaySends() {
        Map<String, Object> redis = list(find(rendered("dev"), "Deployment", "redis"), "spec.template.spec.containers").get(0);
        List<String> args = castList(redis.get("args"));
        assertThat(args).containsSequence("--requirepass", "$(REDIS_PASSWORD)");
        assertThat(at(named(list(redis, "env"), "REDIS_PASSWORD"), "valueFrom.secretKeyRef"))
                .as("the gateway reads the very Secret the Redis pod requires")
                .isEqualTo(at(named(list(gatewayContainer("dev"), "env"), "SPRING_DATA_REDIS_PASSWORD"), "valueFrom.secretKeyRef"));
    }

    // ------------------------------------------------------------------ helpers

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return o instanceof Map<?, ?> ? (Map<String, Object>) o : Map.of();
    }

    private static List<String> castList(Object o) {
        List<String> out = new ArrayList<>();
        if (o instanceof List<?> l) {
            for (Object e : l) {
                out.add(String.valueOf(e));
            }
        }
        return out;
    }
}
