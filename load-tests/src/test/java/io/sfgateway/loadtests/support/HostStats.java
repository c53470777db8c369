package io.sfgateway.loadtests.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What the benchmark and the soak read about this machine and its processes: free ports, CPU time (Linux /proc).
 * Heap and diagnostic commands: {@link Jcmd}; the gateways' own meters: {@link ActuatorMetrics}. */
public final class HostStats {

    private HostStats() {
    }

    /** {@code n} loopback ports free at the time of the call. */
    public static int[] freePorts(int n) throws IOException {
        int[] ports = new int[n];
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
        return ports;
    }

    /**
     * CPU seconds a process has used so far (all its threads, user + system): {@code utime + stime} from
     * {@code /proc/<pid>/stat} in clock ticks (USER_HZ, 100 on Linux); elsewhere the JDK's view; NaN when gone.
     */
    public static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
        } catch (IOException | RuntimeException notLinuxOrGone) {
            return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).map(d -> d.toNanos() / 1e9)
                    .orElse(Double.NaN);
        }
    }

    /** Busy CPU time of the whole machine from /proc/stat (user + nice + system + irq + softirq + steal). */
    public static double machineBusySeconds() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                    + Long.parseLong(f[7]) + Long.parseLong(f[8]);
            return busy / 100.0; // USER_HZ
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** CPU seconds of a JVM's JIT compiler threads so far, from /proc (Linux; 0 elsewhere). */
    public static double compilerCpuSeconds(long pid) {
        double seconds = 0;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    if (!Files.readString(task.resolve("comm")).contains("CompilerThre")) {
                        continue;
                    }
                    String stat = Files.readString(task.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
                    seconds += (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime + stime, USER_HZ
                } catch (IOException | RuntimeException threadGone) {
                    // a compiler thread may exit between listing and reading
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return seconds;
    }
}
