package io.sfgateway.tokenexchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The documentation cannot drift from the code it shows: a fenced block that follows
 * {@code <!-- file: PATH -->} in the README or {@code docs/} must be that file of the repository,
 * character for character (the examples, which {@code verify} builds and tests). The canonical
 * configuration, {@code examples/minimal-gateway}'s {@code application.yml}, is shown by the
 * README, the configuration reference and the getting-started guide, and every example uses it.
 */
class DocumentedFilesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String CANONICAL = "examples/minimal-gateway/src/main/resources/application.yml";
    private static final Pattern SHOWN = Pattern.compile(
            "<!-- file: (\\S+) -->\\n([ \\t]*)```[a-z]*\\n(.*?)\\n[ \\t]*```", Pattern.DOTALL);

    @Test
    void everyFileShownInTheDocumentationIsTheRepositorysFile() throws IOException {
        List<String> checked = new ArrayList<>();
        for (Path document : documents()) {
            Matcher shown = SHOWN.matcher(Files.readString(document));
            while (shown.find()) {
                String indent = shown.group(2);
                String block = shown.group(3).lines()
                        .map(line -> line.startsWith(indent) ? line.substring(indent.length()) : line.strip())
                        .reduce((a, b) -> a + "\n" + b).orElse("");
                Path file = ROOT.resolve(shown.group(1));
                assertThat(file).as("%s shows %s", ROOT.relativize(document), shown.group(1)).isRegularFile();
                assertThat(block).as("%s shows %s as it is", ROOT.relativize(document), shown.group(1))
                        .isEqualTo(Files.readString(file).stripTrailing());
                checked.add(ROOT.relativize(document) + " " + shown.group(1));
            }
        }
        assertThat(checked).contains(
                "README.md " + CANONICAL,
                "docs/CONFIGURATION.md " + CANONICAL,
                "docs/GETTING-STARTED.md " + CANONICAL,
                "docs/GETTING-STARTED.md examples/minimal-gateway/pom.xml",
                "docs/GETTING-STARTED.md examples/minimal-gateway/src/main/java/com/example/gateway/GatewayApplication.java");
    }

    @Test
    void everyExampleUsesTheCanonicalConfiguration() throws IOException {
        String canonical = Files.readString(ROOT.resolve(CANONICAL));
        assertThat(canonical).contains("scopes: [api]", "issuer-uri:");
        try (Stream<Path> examples = Files.list(ROOT.resolve("examples"))) {
            List<Path> configurations = examples.map(example -> example.resolve("src/main/resources/application.yml"))
                    .filter(Files::isRegularFile).toList();
            assertThat(configurations).hasSizeGreaterThanOrEqualTo(2);
            for (Path configuration : configurations) {
                assertThat(Files.readString(configuration)).as("%s", ROOT.relativize(configuration)).isEqualTo(canonical);
            }
        }
    }

    @Test
    void theReadmeKeepsItsTwoSetUpCommandsAndLinksTheGuideFirst() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        assertThat(readme).contains("./mvnw -B -DskipTests package && java -jar gateway-demo/target/gateway-demo.jar",
                "./mvnw -B verify", "./mvnw -B install -pl exchange-filter -am -DskipTests");
        assertThat(readme.indexOf("docs/GETTING-STARTED.md")).as("linked near the top").isLessThan(1500);
    }

    private static List<Path> documents() throws IOException {
        List<Path> documents = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(documents::add);
        }
        return documents;
    }
}
