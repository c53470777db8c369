package io.sfgateway.gateway.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The images cannot be built here (no Docker engine), so their Dockerfiles are read instead:
 * the layered-jar build, the non-root user the Deployment expects, the JVM flags, and a
 * build context that holds the jars they copy.
 */
class DockerfileTest {

    private static final Path ROOT = K8sOverlays.repoRoot();

    /** Instructions with continuation lines joined and comments dropped. */
    private static List<String> instructions(Path dockerfile) throws IOException {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(dockerfile)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.length() == 0)) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            if (current.length() > 0) {
                out.add(current.toString().replaceAll("\\s+", " ").strip());
            }
            current.setLength(0);
        }
        return out;
    }

    private static List<String> starting(List<String> instructions, String keyword) {
        return instructions.stream().filter(i -> i.toUpperCase().startsWith(keyword + " ")).toList();
    }

    @Test
    void gatewayImageIsBuiltFromTheLayeredJar() throws IOException {
        List<String> ins = instructions(ROOT.resolve("Dockerfile"));
        List<String> froms = starting(ins, "FROM");
        assertThat(froms).hasSize(2);
        assertThat(froms.get(0)).endsWith(" AS extract");
        String javaImage = starting(ins, "ARG").stream().filter(a -> a.startsWith("ARG JAVA_IMAGE=")).findFirst()
                .orElseThrow().substring("ARG JAVA_IMAGE=".length());
        assertThat(javaImage).matches("eclipse-temurin:(17|21)-jre.*");

        int secondFrom = ins.indexOf(froms.get(1));
        List<String> stage1 = ins.subList(ins.indexOf(froms.get(0)), secondFrom);
        List<String> stage2 = ins.subList(secondFrom, ins.size());

        assertThat(stage1).contains("COPY gateway-app/target/gateway-app.jar gateway-app.jar");
        assertThat(stage1).anyMatch(i -> i.equals(
                "RUN java -Djarmode=tools -jar gateway-app.jar extract --layers --launcher --destination extracted"));

        List<String> layerCopies = starting(stage2, "COPY").stream().filter(c -> c.startsWith("COPY --from=extract")).toList();
        assertThat(layerCopies).containsExactly(
                "COPY --from=extract /build/extracted/dependencies/ ./",
                "COPY --from=extract /build/extracted/spring-boot-loader/ ./",
                "COPY --from=extract /build/extracted/snapshot-dependencies/ ./",
                "COPY --from=extract /build/extracted/application/ ./");

        List<String> entrypoint = execForm(starting(stage2, "ENTRYPOINT"));
        assertThat(entrypoint.get(0)).isEqualTo("java");
        assertThat(entrypoint.get(entrypoint.size() - 1)).isEqualTo("org.springframework.boot.loader.launch.JarLauncher");
        assertThat(entrypoint).contains("-XX:+ExitOnOutOfMemoryError").anyMatch(a -> a.startsWith("-XX:MaxRAMPercentage="));
        assertThat(entrypoint).noneMatch(a -> a.startsWith("-Xmx")); // the heap follows the container's limit

        assertThat(String.join(" ", starting(stage2, "EXPOSE"))).contains("8080", "8081");
        assertThat(imageUser(stage2)).isEqualTo(podRunAsUser("prod"));
    }

    @Test
    void emulatorImageRunsTheExecJarAsTheDevDeploymentExpects() throws IOException {
        List<String> ins = instructions(ROOT.resolve("k8s/emulator.Dockerfile"));
        assertThat(starting(ins, "COPY")).contains(
                "COPY salesforce-emulator/target/salesforce-emulator-*-exec.jar /app/salesforce-emulator.jar");
        List<String> entrypoint = execForm(starting(ins, "ENTRYPOINT"));
        assertThat(entrypoint).startsWith("java").endsWith("-jar", "/app/salesforce-emulator.jar");
        Map<String, Object> emulator = Manifests.find(K8sOverlays.render("dev"), "Deployment", "salesforce-emulator");
        assertThat(imageUser(ins)).isEqualTo(Manifests.at(emulator, "spec.template.spec.securityContext.runAsUser"));
    }

    @Test
    void buildContextHoldsOnlyTheJarsTheDockerfilesCopy() throws IOException {
        List<String> patterns = Files.readAllLines(ROOT.resolve(".dockerignore")).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(patterns.get(0)).as("everything is excluded first").isIn("*", "**");
        List<String> sources = new ArrayList<>();
        for (Path dockerfile : List.of(ROOT.resolve("Dockerfile"), ROOT.resolve("k8s/emulator.Dockerfile"))) {
            for (String copy : starting(instructions(dockerfile), "COPY")) {
                if (!copy.contains("--from=")) {
                    sources.add(copy.split(" ")[1]);
                }
            }
        }
        assertThat(sources).contains("gateway-app/target/gateway-app.jar");
        for (String source : sources) {
            // An exception pattern must let the source in: compare the two globs on a sample path.
            String sample = source.replace("*", "0.1.0-SNAPSHOT");
            boolean included = patterns.stream().filter(p -> p.startsWith("!")).anyMatch(p -> glob(p.substring(1)).matches(Path.of(sample)));
            assertThat(included).as(".dockerignore lets %s into the build context", source).isTrue();
        }
    }

    private static PathMatcher glob(String pattern) {
        return FileSystems.getDefault().getPathMatcher("glob:" + pattern);
    }

    private static List<String> execForm(List<String> entrypoints) {
        assertThat(entrypoints).hasSize(1);
        String json = entrypoints.get(0).substring("ENTRYPOINT ".length()).strip();
        assertThat(json).as("exec form, so java is PID 1 and receives SIGTERM").startsWith("[").endsWith("]");
        List<String> args = new ArrayList<>();
        Matcher m = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        while (m.find()) {
            args.add(m.group(1));
        }
        return args;
    }

    private static Integer imageUser(List<String> instructions) {
        List<String> users = starting(instructions, "USER");
        assertThat(users).isNotEmpty();
        String user = users.get(users.size() - 1).substring("USER ".length()).strip();
        assertThat(user).as("numeric user[:group], so runAsNonRoot can verify it").matches("\\d+(:\\d+)?");
        int uid = Integer.parseInt(user.split(":")[0]);
        assertThat(uid).isNotZero();
        return uid;
    }

    private static Object podRunAsUser(String overlay) {
        Map<String, Object> deployment = Manifests.find(K8sOverlays.render(overlay), "Deployment", K8sOverlays.GATEWAY);
        return Manifests.at(deployment, "spec.template.spec.securityContext.runAsUser");
    }
}
