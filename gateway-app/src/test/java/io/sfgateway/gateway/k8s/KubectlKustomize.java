package io.sfgateway.gateway.k8s;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Renders a Kustomize directory with the real {@code kubectl kustomize}, offline. On a machine
 * without kubectl every test that renders is skipped with a message saying how to install it;
 * {@code .ci/run} refuses to start without it, so CI always checks the real rendering.
 */
public final class KubectlKustomize {

    static final String INSTALL_HINT = "kubectl is not on PATH, so the Kubernetes manifest tests are skipped."
            + " Install it to run them: https://kubernetes.io/docs/tasks/tools/ (or your package manager's kubectl),"
            + " or point -Dk8s.kubectl=/path/to/kubectl at one.";

    private static Boolean available;

    private KubectlKustomize() {
    }

    /** The kubectl to run; {@code -Dk8s.kubectl=/nonexistent} simulates a machine without it. */
    static String command() {
        return System.getProperty("k8s.kubectl", "kubectl");
    }

    static synchronized boolean available() {
        if (available == null) {
            try {
                run(List.of(command(), "version", "--client"));
                available = true;
            } catch (RuntimeException e) {
                available = false;
            }
        }
        return available;
    }

    /** {@code kubectl kustomize dir}'s output as text; skips the calling test when kubectl is missing. */
    public static String renderText(Path dir) {
        Assumptions.assumeTrue(available(), INSTALL_HINT);
        return run(List.of(command(), "kustomize", dir.toString()));
    }

    /** {@code kubectl kustomize dir}'s resources, in kubectl's order. */
    public static List<Map<String, Object>> render(Path dir) {
        return loadDocuments(renderText(dir));
    }

    /** A SnakeYAML loader that builds plain maps and lists, nothing else. */
    public static Object load(String text) {
        return yaml().load(text);
    }

    /** Every non-empty document of a multi-document YAML text. */
    public static List<Map<String, Object>> loadDocuments(String text) {
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

    private static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }

    private static String run(List<String> command) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException(command.get(0) + " could not be started", e);
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = process.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not finish within 60 s");
            }
            String text = out.get(10, TimeUnit.SECONDS);
            if (process.exitValue() != 0) {
                throw new IllegalStateException(command + " exited with " + process.exitValue() + ":\n" + text);
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(command + " output could not be read", e);
        }
    }
}
