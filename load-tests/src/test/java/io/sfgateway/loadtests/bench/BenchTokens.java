package io.sfgateway.loadtests.bench;

import static io.sfgateway.loadtests.bench.BenchLog.log;

import io.sfgateway.loadtests.support.EmulatorAdmin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The IdP tokens of a run, as files for wrk and lists for the Java clients; subjects are named by role
 * ({@code ours-warm-}, {@code ours-cold-r1-}, {@code shared-l2-}, ...), so the org's per-subject counts tell them
 * apart.
 */
record BenchTokens(Path static_, Path oursWarm, Path peerWarm, Path rtt, List<Path> cold, List<String> coldWarmup,
        List<String> burst, Path breaker, List<String> hang, List<String> oursWarmList, Path sharedWarm,
        List<String> sharedWarmList, Path sharedL2, List<String> sharedL2List) {

    static BenchTokens mint(EmulatorAdmin org, BenchMode mode, String staticSession, Path dir, boolean shared)
            throws IOException {
        long t0 = System.nanoTime();
        Files.createDirectories(dir);
        Duration ttl = Duration.ofHours(3);
        List<String> oursWarm = org.mintAll(subjects("ours-warm-", mode.subjects()), ttl);
        List<String> peerWarm = org.mintAll(subjects("peer-warm-", mode.subjects()), ttl);
        List<String> rtt = org.mintAll(subjects("rtt-", 20), ttl);
        List<Path> cold = new ArrayList<>();
        for (int r = 1; r <= mode.rounds(); r++) {
            cold.add(write(dir, "cold-r" + r + ".txt",
                    org.mintAll(subjects("ours-cold-r" + r + "-", mode.coldTokens()), ttl)));
        }
        List<String> coldWarmup = org.mintAll(subjects("ours-coldwarmup-", mode.coldWarmupSubjects()), ttl);
        List<String> burst = org.mintAll(subjects("ours-burst-r", mode.rounds() + 1), ttl);
        Path breaker = write(dir, "breaker.txt", org.mintAll(subjects("ours-breaker-", 40), ttl));
        List<String> hang = org.mintAll(subjects("ours-hang-", mode.hangingRequests()), ttl);
        List<String> sharedWarm = shared ? org.mintAll(subjects("shared-warm-", mode.subjects()), ttl) : List.of();
        List<String> sharedL2 = shared ? org.mintAll(subjects("shared-l2-", mode.sharedSubjects()), ttl) : List.of();
        log("minted %d IdP tokens in %.1f s (while the gateways start)", oursWarm.size() + peerWarm.size()
                + rtt.size() + cold.size() * mode.coldTokens() + coldWarmup.size() + burst.size() + 40 + hang.size()
                + sharedWarm.size() + sharedL2.size(), (System.nanoTime() - t0) / 1e9);
        return new BenchTokens(write(dir, "static.txt", List.of(staticSession)), write(dir, "ours-warm.txt", oursWarm),
                write(dir, "peer-warm.txt", peerWarm), write(dir, "rtt.txt", rtt), cold, coldWarmup, burst, breaker,
                hang, oursWarm, write(dir, "shared-warm.txt", sharedWarm), sharedWarm,
                write(dir, "shared-l2.txt", sharedL2), sharedL2);
    }

    static List<String> subjects(String prefix, int n) {
        List<String> subjects = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            subjects.add(String.format("%s%05d", prefix, i));
        }
        return subjects;
    }

    static Path write(Path dir, String name, List<String> lines) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }
}
