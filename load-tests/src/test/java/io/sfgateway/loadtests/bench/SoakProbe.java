package io.sfgateway.loadtests.bench;

import static io.sfgateway.loadtests.support.HostStats.cpuSeconds;
import static io.sfgateway.loadtests.support.HostStats.machineBusySeconds;

import io.sfgateway.loadtests.support.ActuatorMetrics;
import io.sfgateway.loadtests.support.Jcmd;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the soak samples of the gateway process, from outside it:
 *
 * <ul>
 *   <li>its actuator's meters (JSON, {@link ActuatorMetrics}), read first: heap used (as the application runs, garbage included),
 *       non-heap, direct buffers, live threads, open files, exchanges by outcome, cache hits and misses;</li>
 *   <li>{@code jcmd <pid> GC.class_histogram}: a full GC, then every live class's instances and bytes. Its total
 *       is the <b>live heap</b> (what is reachable right now: the figure a leak makes grow), and the instance
 *       counts of the session cache's and the verified-token cache's entries give the caches' sizes, which no
 *       metric exposes;</li>
 *   <li>{@code /proc/<pid>}: threads as the OS sees them, resident memory, file descriptors and sockets; its
 *       sockets matched by inode against {@code /proc/net/tcp} and {@code tcp6}: connections from clients,
 *       connections to the org (REST and token endpoint share its port), connections to the IdP (JWKS), sockets in
 *       CLOSE_WAIT;</li>
 *   <li>CPU used since the last sample (cores) by the gateway, the org, this driver and the whole machine, and the
 *       gateway's GC pauses.</li>
 * </ul>
 */
final class SoakProbe {

    private static final String EXCHANGE_TIMER = "salesforce.token.exchange";

    static final String CACHED_SESSION = "io.sfgateway.tokenexchange.session.CachedSession";
    static final String VERIFIED_TOKEN = "io.sfgateway.tokenexchange.subject.VerifiedTokens$Verified";


    private final long pid;
    private final long orgPid;
    private final ActuatorMetrics metrics;
    private final int gatewayPort;
    private final int orgPort;
    private final int idpPort;

    /** Cumulative figures at the last sample: CPU seconds (gateway, org, driver, machine, wall), GC pause seconds. */
    private double[] last;

    SoakProbe(long pid, long orgPid, String managementUrl, int gatewayPort, int orgPort, int idpPort) {
        this.pid = pid;
        this.orgPid = orgPid;
        this.metrics = new ActuatorMetrics(managementUrl);
        this.gatewayPort = gatewayPort;
        this.orgPort = orgPort;
        this.idpPort = idpPort;
    }

    /** One sample of the gateway: ordered columns (see the class comment), plus the histogram taken. */
    record Sample(Map<String, Object> values, Jcmd.ClassHistogram histogram) {
    }

    Sample sample() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("heap_used_bytes", (long) metrics.value("jvm.memory.used", "area:heap"));
        long t0 = System.nanoTime();
        Jcmd.ClassHistogram histogram = histogram();
        v.put("heap_live_bytes", histogram.bytes());
        v.put("gc_histogram_ms", Math.round((System.nanoTime() - t0) / 1e6));
        v.put("cached_sessions", histogram.instances(CACHED_SESSION));
        v.put("verified_tokens", histogram.instances(VERIFIED_TOKEN));
        v.put("nonheap_bytes", (long) metrics.value("jvm.memory.used", "area:nonheap"));
        v.put("direct_buffer_bytes", (long) metrics.value("jvm.buffer.memory.used", "id:direct"));
        v.put("rss_bytes", procStatus("VmRSS") * 1024);
        v.put("threads_live", (long) metrics.value("jvm.threads.live"));
        v.put("threads_os", procStatus("Threads"));
        v.put("open_files", (long) metrics.value("process.files.open"));
        v.putAll(sockets());
        double[] now = cumulative();
        double[] before = last == null ? now : last;
        last = now;
        double wall = Math.max(1e-9, now[4] - before[4]);
        v.put("cpu_gateway", Stats.round((now[0] - before[0]) / wall, 2));
        v.put("cpu_org", Stats.round((now[1] - before[1]) / wall, 2));
        v.put("cpu_driver", Stats.round((now[2] - before[2]) / wall, 2));
        v.put("cpu_machine", Stats.round((now[3] - before[3]) / wall, 2));
        // Pauses since the last sample's read: they include that sample's own full GC (its class histogram).
        v.put("gc_pause_ms", Math.round((now[5] - before[5]) * 1000));
        v.put("gc_histogram_pause_ms", Math.round((now[6] - before[6]) * 1000));
        long exchangesSuccess = (long) metrics.count(EXCHANGE_TIMER, "outcome:success");
        v.put("exchanges_success", exchangesSuccess);
        v.put("exchanges_failed", (long) metrics.count(EXCHANGE_TIMER) - exchangesSuccess);
        v.put("cache_misses", (long) metrics.count("cache.gets", "result:miss"));
        return new Sample(v, histogram);
    }

    /** Takes the reference for the first sample's CPU and GC pause figures. */
    void baseline() {
        last = cumulative();
    }

    private double[] cumulative() {
        return new double[] {cpuSeconds(pid), cpuSeconds(orgPid), cpuSeconds(ProcessHandle.current().pid()),
            machineBusySeconds(), System.nanoTime() / 1e9, metrics.totalSeconds("jvm.gc.pause"),
            metrics.totalSeconds("jvm.gc.pause", "cause:Heap Inspection Initiated GC")};
    }

    /** File descriptors and the gateway's TCP sockets by peer and state. */
    private Map<String, Object> sockets() {
        Map<String, Object> v = new LinkedHashMap<>();
        Set<String> inodes = new HashSet<>();
        long fds = 0;
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : dir) {
                fds++;
                try {
                    String link = Files.readSymbolicLink(fd).toString();
                    if (link.startsWith("socket:[")) {
                        inodes.add(link.substring(8, link.length() - 1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException e) {
            fds = -1;
        }
        Map<String, Long> counts = new HashMap<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(table));
            } catch (IOException e) {
                continue;
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 10 || !inodes.contains(f[9])) {
                    continue;
                }
                int local = port(f[1]);
                int remote = port(f[2]);
                String state = f[3];
                String kind;
                if (state.equals("0A")) {
                    kind = "listen";
                } else if (state.equals("08")) {
                    kind = "close_wait";
                } else if (!state.equals("01")) {
                    kind = "other_state";
                } else if (local == gatewayPort) {
                    kind = "conns_in";
                } else if (remote == orgPort) {
                    kind = "conns_org";
                } else if (remote == idpPort) {
                    kind = "conns_idp";
                } else {
                    kind = "conns_other";
                }
                counts.merge(kind, 1L, Long::sum);
            }
        }
        v.put("fds", fds);
        v.put("socket_fds", (long) inodes.size());
        for (String kind : List.of("conns_in", "conns_org", "conns_idp", "conns_other", "close_wait", "other_state")) {
            v.put(kind, counts.getOrDefault(kind, 0L));
        }
        return v;
    }

    private static int port(String hexAddress) {
        return Integer.parseInt(hexAddress.substring(hexAddress.lastIndexOf(':') + 1), 16);
    }

    private long procStatus(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** {@code jcmd <pid> GC.class_histogram}: a full GC, then live instances and bytes per class (none if it fails). */
    Jcmd.ClassHistogram histogram() {
        try {
            return Jcmd.classHistogram(pid);
        } catch (RuntimeException e) {
            return new Jcmd.ClassHistogram(Map.of());
        }
    }
}
