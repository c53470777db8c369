package io.sfgateway.gateway;

import io.sfgateway.gateway.k8s.K8sOverlays;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Redis ACL that {@code k8s/README.md} tells operators to create for the gateway, read from
 * that file (its one line starting {@code ACL SETUSER}), so tests run the store under exactly the
 * documented rules.
 */
record DocumentedRedisAcl(String user, List<String> rules) {

    static DocumentedRedisAcl fromK8sReadme() {
        String readme;
        try {
            readme = Files.readString(K8sOverlays.repoRoot().resolve("k8s/README.md"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> lines = readme.lines().map(String::strip).filter(line -> line.startsWith("ACL SETUSER ")).toList();
        if (lines.size() != 1) {
            throw new IllegalStateException("k8s/README.md must give exactly one ACL SETUSER line, found " + lines.size());
        }
        List<String> words = new ArrayList<>(Arrays.asList(lines.get(0).split("\\s+")));
        return new DocumentedRedisAcl(words.get(2), List.copyOf(words.subList(3, words.size())));
    }

    /** The {@code ACL SETUSER} arguments with {@code >PASSWORD} replaced by {@code password}. */
    List<String> setUserArguments(String password) {
        List<String> arguments = new ArrayList<>();
        arguments.add(user);
        rules.forEach(rule -> arguments.add(rule.equals(">PASSWORD") ? ">" + password : rule));
        if (!rules.contains(">PASSWORD")) {
            throw new IllegalStateException("the documented ACL sets no password (>PASSWORD)");
        }
        return arguments;
    }
}
