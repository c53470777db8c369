package io.sfgateway.loadtests.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The charts drawn from a small summary (three rounds) into a temporary directory. */
class BenchChartsTest {

    @TempDir
    Path dir;

    @Test
    void theThreeChartsAreWrittenAsPngImagesNextToTheSummary() throws IOException {
        Map<String, Object> summary = BenchSummaryTest.summary(List.of(BenchSummaryTest.round(1, 104, 0.2),
                BenchSummaryTest.round(2, 98, 0.1), BenchSummaryTest.round(3, 110, 0.4)),
                BenchSummaryTest.hang(3040, 2.4), Map.of());

        List<String> written = BenchCharts.write(summary, dir);

        assertThat(written).containsExactly(BenchCharts.LATENCY, BenchCharts.CPU, BenchCharts.COLD);
        for (String name : written) {
            BufferedImage image = ImageIO.read(dir.resolve(name).toFile());
            assertThat(image).as(name).isNotNull();
            assertThat(image.getWidth()).isEqualTo(900);
            assertThat(image.getHeight()).isEqualTo(500);
        }
    }
}
