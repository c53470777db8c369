package io.sfgateway.loadtests.bench;

import static io.sfgateway.loadtests.bench.BenchLog.log;

import io.sfgateway.loadtests.support.ManagedProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.json.JsonMapper;

/**
 * The heap harness ({@link HeapPerSession}) in a JVM of its own while the gateways boot: heap per cached session
 * from used-after-GC differences, and by JOL from the object graph the session cache holds. Reads its
 * {@code HEAPJSON} line.
 */
final class HeapStage {

    private HeapStage() {
    }

    static Map<String, Object> run(String classpath, Path logs, int sessions) throws Exception {
        List<String> command = List.of(ManagedProcess.javaExecutable(), "-XX:+UseSerialGC", "-Xms1g", "-Xmx1g",
                // JOL reads the fields of JDK classes (ConcurrentHashMap, CompletableFuture, String, URI).
                "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
                "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
                "-Djol.magicFieldOffset=true",
                "-cp", classpath, HeapPerSession.class.getName(),
                Integer.toString(sessions));
        Files.createDirectories(logs);
        Path log = logs.resolve("heap.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("heap harness did not finish");
        }
        String text = Files.readString(log, StandardCharsets.UTF_8);
        int at = text.indexOf("HEAPJSON ");
        if (process.exitValue() != 0 || at < 0) {
            throw new IllegalStateException("heap harness failed:\n" + text);
        }
        String json = text.substring(at + 9, text.indexOf('\n', at));
        @SuppressWarnings("unchecked")
        Map<String, Object> heap = JsonMapper.builder().build().readValue(json, Map.class);
        log("heap: %s", heap);
        return heap;
    }
}
