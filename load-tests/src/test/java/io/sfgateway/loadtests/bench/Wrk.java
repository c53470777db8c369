package io.sfgateway.loadtests.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Runs wrk (one thread, closed loop) with {@code wrk-tokens.lua} and reads its {@code WRKJSON} line. */
final class Wrk {

    /** One wrk run. Latencies in milliseconds. */
    record Result(String label, long requests, double seconds, long statusErrors, long socketErrors, long timeouts,
            double p50, double p90, double p99, double p999, double mean, double max, boolean exhausted) {

        double rps() {
            return requests / seconds;
        }

        long errors() {
            return statusErrors + socketErrors + timeouts;
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String executable;
    private final Path script;
    private final Path logDir;

    Wrk(String executable, Path workDir) {
        this.executable = executable;
        this.script = workDir.resolve("wrk-tokens.lua");
        this.logDir = workDir.resolve("wrk");
        try (InputStream in = Wrk.class.getResourceAsStream("/bench/wrk-tokens.lua")) {
            Files.createDirectories(logDir);
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param mode {@code cycle} or {@code once}
     * @param kind {@code get} or {@code exchange}
     */
    Result run(String label, String baseUrl, String path, Path tokens, String mode, String kind, int connections,
            Duration duration) {
        List<String> command = new ArrayList<>(List.of(executable, "-t1", "-c" + connections,
                "-d" + Math.max(1, duration.toSeconds()) + "s", "--timeout", "10s", "-s", script.toString(),
                baseUrl + path, "--", tokens.toAbsolutePath().toString(), path, mode, kind));
        Path log = logDir.resolve(label.replaceAll("[^A-Za-z0-9._-]+", "_") + ".txt");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .start();
            if (!process.waitFor(duration.toSeconds() + 30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("wrk did not finish: " + label);
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            int at = out.indexOf("WRKJSON ");
            if (process.exitValue() != 0 || at < 0) {
                throw new IllegalStateException("wrk failed (" + label + "), exit " + process.exitValue() + ":\n"
                        + out);
            }
            String line = out.substring(at + 8, out.indexOf('\n', at) < 0 ? out.length() : out.indexOf('\n', at));
            JsonNode j = JSON.readTree(line);
            return new Result(label, j.get("requests").asLong(), j.get("duration_us").asLong() / 1e6,
                    j.get("status_errors").asLong(),
                    j.get("connect_errors").asLong() + j.get("read_errors").asLong() + j.get("write_errors").asLong(),
                    j.get("timeouts").asLong(), ms(j, "p50_us"), ms(j, "p90_us"), ms(j, "p99_us"), ms(j, "p999_us"),
                    ms(j, "mean_us"), ms(j, "max_us"), j.get("exhausted").asBoolean());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static double ms(JsonNode j, String field) {
        return j.get(field).asDouble() / 1000.0;
    }
}
