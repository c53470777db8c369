package io.sfgateway.tokenexchange.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Small types with one job: no source file of the library is over 250 lines. */
class ClassSizeTest {

    private static final int MAX_LINES = 250;
    private static final Path MAIN = Path.of("src", "main", "java");

    @Test
    void noMainSourceFileIsOver250Lines() throws IOException {
        List<Path> sources;
        try (Stream<Path> files = Files.walk(MAIN)) {
            sources = files.filter(file -> file.toString().endsWith(".java")).toList();
        }
        assertThat(sources).as("the library's sources, read from " + MAIN.toAbsolutePath()).hasSizeGreaterThan(50);
        assertThat(sources).allSatisfy(file -> assertThat(lines(file)).as(file.toString()).isLessThanOrEqualTo(MAX_LINES));
    }

    private static long lines(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
