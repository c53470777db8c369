package io.sfgateway.gateway.k8s;

import static io.sfgateway.gateway.k8s.Manifests.at;
import static io.sfgateway.gateway.k8s.Manifests.find;
import static io.sfgateway.gateway.k8s.Manifests.list;
import static io.sfgateway.gateway.k8s.Manifests.map;
import static io.sfgateway.gateway.k8s.Manifests.named;
import static io.sfgateway.gateway.k8s.Manifests.selects;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shared session store in the rendered overlays (docs/SCALING.md): dev runs its own Redis (a
 * plain Deployment and Service) and the gateway reaches it; prod reaches an external Redis over TLS
 * with an ACL user; every credential and sealing key comes from a Secret, and the gateway's
 * NetworkPolicy lets it out to the Redis port. The base leaves the store off.
 */
class K8sSharedStoreTest {

    private static final String SHARED = "salesforce.token-exchange.cache.shared";
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z0-9_]+)\\}");
    /** A 32-byte key in base64, the form of a sealing key. */
    private static final Pattern BASE64_KEY = Pattern.compile("[A-Za-z0-9+/]{43}=");
    private static final Map<String, List<Map<String, Object>>> RENDERED = new ConcurrentHashMap<>();

    private static List<Map<String, Object>> rendered(String overlay) {
        return RENDERED.computeIfAbsent(overlay, K8sOverlays::render);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> config(String overlay) {
        return (Map<String, Object>) KubectlKustomize.load(K8sOverlays.applicationYaml(rendered(overlay)));
    }

    private static Map<String, Object> gateway(String overlay) {
        return find(rendered(overlay), "Deployment", K8sOverlays.GATEWAY);
    }

    private static List<Map<String, Object>> gatewayEnv(String overlay) {
        return list(named(list(gateway(overlay), "spec.template.spec.containers"), "gateway"), "env");
    }

    private static int redisPort(String overlay) {
        return at(config(overlay), "spring.data.redis.port") instanceof Integer port ? port : 6379;
    }

    /** Egress rules of the policies that select the gateway's pods. */
    private static List<Map<String, Object>> gatewayEgress(String overlay) {
        Map<String, Object> podLabels = map(gateway(overlay), "spec.template.metadata.labels");
        return Manifests.all(rendered(overlay), "NetworkPolicy").stream()
                .filter(p -> selects(map(p, "spec.podSelector.matchLabels"), podLabels))
                .flatMap(p -> list(p, "spec.egress").stream())
                .toList();
    }

    private static boolean allowsPort(Map<String, Object> rule, int port) {
        return list(rule, "ports").stream().anyMatch(p -> Integer.valueOf(port).equals(p.get("port"))
                && "TCP".equals(p.getOrDefault("protocol", "TCP")));
    }

    @Test
    void theBaseLeavesTheSharedStoreOff() {
        assertThat(at(config("base"), SHARED + ".enabled")).isNotEqualTo(true);
        assertThat(at(config("base"), "spring.data.redis")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theSharedStoreIsOnAndEachSealingKeyComesFromASecret(String overlay) {
        Map<String, Object> shared = map(config(overlay), SHARED);
        assertThat(shared.get("enabled")).isEqualTo(true);
        Map<String, Object> keys = map(shared, "keys");
        assertThat(keys).containsKey(String.valueOf(shared.get("key-id")));
        keys.forEach((id, value) -> {
            Matcher placeholder = PLACEHOLDER.matcher(String.valueOf(value));
            assertThat(placeholder.matches()).as("keys.%s is a ${VARIABLE} without a default: %s", id, value).isTrue();
            Map<String, Object> variable = named(gatewayEnv(overlay), placeholder.group(1));
            assertThat(variable).as("env %s of the gateway", placeholder.group(1)).isNotNull().doesNotContainKey("value");
            assertThat(map(variable, "valueFrom.secretKeyRef")).as("env %s from a Secret", placeholder.group(1))
                    .containsKeys("name", "key");
            assertThat(at(variable, "valueFrom.secretKeyRef.optional")).isNotEqualTo(true);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void noRenderedManifestHoldsASecretKeyOrACredential(String overlay) {
        String text = KubectlKustomize.renderText(K8sOverlays.dir(overlay));
        assertThat(BASE64_KEY.matcher(text).find()).as("a base64 sealing key in the rendered %s", overlay).isFalse();
        assertThat(rendered(overlay)).extracting(r -> r.get("kind")).doesNotContain("Secret");
        Map<String, Object> redis = map(config(overlay), "spring.data.redis");
        assertThat(redis).as("Redis credentials come from the environment (a Secret), not the ConfigMap")
                .doesNotContainKeys("password", "username", "url");
        for (Map<String, Object> variable : gatewayEnv(overlay)) {
            String name = (String) variable.get("name");
            if (name.startsWith("SPRING_DATA_REDIS_") || name.startsWith("SESSION_KEY_")) {
                assertThat(variable).as("env %s", name).doesNotContainKey("value");
                assertThat(map(variable, "valueFrom.secretKeyRef")).as("env %s", name).containsKeys("name", "key");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theGatewaysNetworkPolicyLetsItReachTheRedisPort(String overlay) {
        assertThat(gatewayEgress(overlay)).as("an egress rule to Redis on %s", redisPort(overlay))
                .anyMatch(rule -> !list(rule, "to").isEmpty() && allowsPort(rule, redisPort(overlay)));
    }

    @Test
    void devRunsItsOwnRedisAndTheGatewayReachesIt() {
        List<Map<String, Object>> resources = rendered("dev");
        Map<String, Object> redis = find(resources, "Deployment", "redis");
        Map<String, Object> service = find(resources, "Service", "redis");
        Map<String, Object> redisLabels = map(redis, "spec.template.metadata.labels");
        assertThat(selects(map(service, "spec.selector"), redisLabels)).as("the Service selects the Redis pod").isTrue();

        Map<String, Object> container = list(redis, "spec.template.spec.containers").get(0);
        assertThat((String) container.get("image")).matches("(redis|valkey/valkey):[0-9][\\w.-]*");
        Map<String, Object> servicePort = list(service, "spec.ports").get(0);
        Object target = servicePort.get("targetPort");
        Map<String, Object> containerPort = target instanceof Integer number
                ? list(container, "ports").stream().filter(p -> number.equals(p.get("containerPort"))).findFirst().orElse(null)
                : named(list(container, "ports"), String.valueOf(target));
        assertThat(containerPort).as("the Service's targetPort is the container's port").isNotNull();
        assertThat(containerPort.get("containerPort")).isEqualTo(6379);

        // The gateway's configuration names that Service and port, and its policy lets it out to that pod.
        assertThat(at(config("dev"), "spring.data.redis.host")).isEqualTo(at(service, "metadata.name"));
        assertThat(servicePort.get("port")).isEqualTo(redisPort("dev"));
        assertThat(gatewayEgress("dev")).anyMatch(rule -> allowsPort(rule, 6379) && list(rule, "to").stream()
                .anyMatch(peer -> selects(map(peer, "podSelector.matchLabels"), redisLabels)));

        // Redis answers the gateway only, keeps nothing on disk, and caps its memory below the pod's limit.
        Map<String, Object> gatewayLabels = map(gateway("dev"), "spec.template.metadata.labels");
        List<Map<String, Object>> redisPolicies = Manifests.all(resources, "NetworkPolicy").stream()
                .filter(p -> selects(map(p, "spec.podSelector.matchLabels"), redisLabels)).toList();
        assertThat(redisPolicies).isNotEmpty();
        for (Map<String, Object> policy : redisPolicies) {
            assertThat(String.valueOf(at(policy, "spec.policyTypes"))).as("Redis opens no connection").contains("Ingress", "Egress");
            assertThat(list(policy, "spec.egress")).isEmpty();
            for (Map<String, Object> rule : list(policy, "spec.ingress")) {
                assertThat(list(rule, "from")).isNotEmpty().allSatisfy(peer -> assertThat(
                        selects(map(peer, "podSelector.matchLabels"), gatewayLabels)).as("from the gateway: %s", peer).isTrue());
                assertThat(list(rule, "ports")).extracting(p -> p.get("port")).containsOnly(6379);
            }
        }
        List<String> args = list(redis, "spec.template.spec.containers").get(0).get("args") instanceof List<?> l
                ? l.stream().map(String::valueOf).toList() : List.of();
        assertThat(String.join(" ", args)).contains("--save ", "--appendonly no", "--maxmemory ", "--maxmemory-policy ");
        assertThat(at(container, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
    }

    @Test
    void prodReachesAnExternalRedisOverTlsWithAnAclUserFromASecret() {
        assertThat(Manifests.all(rendered("prod"), "Deployment")).as("no Redis of its own")
                .extracting(Manifests::id).noneMatch(id -> id.contains("redis"));
        assertThat(at(config("prod"), "spring.data.redis.ssl.enabled")).as("TLS to Redis").isEqualTo(true);
        assertThat((String) at(config("prod"), "spring.data.redis.host")).isNotBlank();
        for (String variable : List.of("SPRING_DATA_REDIS_USERNAME", "SPRING_DATA_REDIS_PASSWORD")) {
            Map<String, Object> env = named(gatewayEnv("prod"), variable);
            assertThat(env).as("env %s", variable).isNotNull().doesNotContainKey("value");
            assertThat(map(env, "valueFrom.secretKeyRef")).as("env %s from a Secret", variable)
                    .containsEntry("name", "sf-gateway-redis");
        }
        assertThat(gatewayEgress("prod")).as("egress to the external Redis's addresses on its port")
                .anyMatch(rule -> allowsPort(rule, redisPort("prod"))
                        && list(rule, "to").stream().anyMatch(peer -> peer.containsKey("ipBlock")));
    }
}
