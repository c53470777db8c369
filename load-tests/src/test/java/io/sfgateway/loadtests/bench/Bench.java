package io.sfgateway.loadtests.bench;

import static io.sfgateway.loadtests.support.HostStats.compilerCpuSeconds;
import static io.sfgateway.loadtests.support.HostStats.cpuSeconds;
import static io.sfgateway.loadtests.support.HostStats.freePorts;
import static io.sfgateway.loadtests.support.HostStats.machineBusySeconds;

import io.sfgateway.loadtests.support.EmulatorAdmin;
import io.sfgateway.loadtests.support.GatewayArgs;
import io.sfgateway.loadtests.support.Http;
import io.sfgateway.loadtests.support.ManagedProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.SerializationFeature;

/**
 * The side-by-side benchmark behind {@code load-tests/bench.sh}. One emulated org in its own process; four ways to
 * reach its REST API, measured alternately in rounds with the same load (wrk, one thread, closed loop):
 *
 * <ol>
 *   <li><b>floor</b>: straight to the org with a valid session token;</li>
 *   <li><b>limit</b>: gateway-app.jar with its route replaced by a plain Spring Cloud Gateway route that sets that
 *       token as a static {@code Authorization} header (no exchange);</li>
 *   <li><b>ours</b>: gateway-app.jar as shipped (SalesforceTokenExchange), warm (1,000 subjects with cached
 *       sessions) and cold (every request a new subject, the org's token endpoint answering after a fixed
 *       latency);</li>
 *   <li><b>peer</b>: target/peer-gateway.jar, Spring Security's token exchange + TokenRelay.</li>
 * </ol>
 *
 * Then, once: the token endpoint hangs (answers before and after the breaker opens, cached subjects meanwhile),
 * and, after everything is stopped, the heap harness ({@link HeapPerSession}). Writes {@code summary.json},
 * {@code summary.md}, and every process's log and wrk output under the output directory.
 */
public final class Bench {

    static final String LIMITS = "/services/data/v62.0/limits";
    static final String TOKEN_PATH = "/services/oauth2/token";
    static final List<String> GATEWAY_JVM = List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC");

    /** Sizes and durations of one mode. */
    record Mode(String name, int rounds, Duration warmup, Duration throughput, Duration latency, int connections,
            int subjects, int tokenLatencyMs, int burstUsers, Duration hangProbe, int coldWarmupSubjects) {

        static Mode quick() {
            return new Mode("quick", 3, Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2), 32,
                    1000, 50, 200, Duration.ofSeconds(3), 600);
        }

        static Mode full() {
            return new Mode("full", 7, Duration.ofSeconds(15), Duration.ofSeconds(12), Duration.ofSeconds(6), 32,
                    1000, 50, 200, Duration.ofSeconds(5), 12000);
        }

        /** Requests that hang at once so the breaker opens: its whole sliding window (20 calls) fails. */
        int hangingRequests() {
            return 20;
        }

        /** Cold tokens one latency run can use at most: every cold request waits at least the token latency. */
        int coldTokens() {
            return (int) (latency.toMillis() / tokenLatencyMs) + 40;
        }
    }

    private final Mode mode;
    private final Path out;
    private final Path tokensDir;
    private final Map<String, String> opts;
    private final Wrk wrk;
    private final List<ManagedProcess> processes = new ArrayList<>();
    /** Per gateway: how many warm-up slices its JIT needed to settle (see {@code settle}). */
    private final Map<String, Object> jitSettle = new LinkedHashMap<>();
    private final List<Map<String, Object>> runs = new ArrayList<>();
    private final long started = System.nanoTime();

    private EmulatorAdmin org;
    private String orgUrl;
    private String oursUrl;
    private String limitUrl;
    /** Actuator (health, Prometheus) of ours and limit: their management ports, not the traffic ports. */
    private String oursManagementUrl;
    private String limitManagementUrl;
    private String peerUrl;
    private ManagedProcess ours;
    private ManagedProcess limit;
    private ManagedProcess emulator;

    private Bench(Mode mode, Path out, Map<String, String> opts) throws IOException {
        this.mode = mode;
        this.out = out;
        this.opts = opts;
        this.tokensDir = out.resolve("tokens");
        Files.createDirectories(tokensDir);
        this.wrk = new Wrk(opts.getOrDefault("wrk", "wrk"), out);
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + arg);
            }
            int eq = arg.indexOf('=');
            opts.put(eq < 0 ? arg.substring(2) : arg.substring(2, eq), eq < 0 ? "true" : arg.substring(eq + 1));
        }
        Mode mode = opts.containsKey("full") ? Mode.full() : Mode.quick();
        if (opts.containsKey("rounds")) {
            mode = new Mode(mode.name(), Integer.parseInt(opts.get("rounds")), mode.warmup(), mode.throughput(),
                    mode.latency(), mode.connections(), mode.subjects(), mode.tokenLatencyMs(), mode.burstUsers(),
                    mode.hangProbe(), mode.coldWarmupSubjects());
        }
        Path out = Path.of(opts.getOrDefault("out", "target/bench"));
        Files.createDirectories(out);
        Bench bench = new Bench(mode, out, opts);
        try {
            bench.run();
        } finally {
            bench.stopAll();
        }
    }

    private void run() throws Exception {
        log("mode %s: %d rounds of %ss (throughput, %d connections) and %ss (latency, 1 connection); out %s",
                mode.name(), mode.rounds(), mode.throughput().toSeconds(), mode.connections(),
                mode.latency().toSeconds(), out.toAbsolutePath());
        startOrg();
        startGateways();
        // While the gateways boot: mint the IdP tokens and measure the heap per session (neither is timed).
        CompletableFuture<Map<String, Object>> heapRun = CompletableFuture.supplyAsync(() -> {
            try {
                return heapHarness();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Tokens tokens = mintTokens();
        awaitGateways();
        primeAndCheck(tokens);
        warmUp(tokens);
        if (opts.containsKey("profile-only")) { // just the profiles, no rounds and no summary
            profile(tokens);
            heapRun.join();
            return;
        }
        List<Round> rounds = new ArrayList<>();
        for (int r = 1; r <= mode.rounds(); r++) {
            rounds.add(round(r, tokens));
        }
        Map<String, Object> hang = hangProbe(tokens);
        Map<String, Object> jfr = opts.containsKey("jfr") ? profile(tokens) : Map.of();
        EmulatorAdmin.Counters counters = org.counters();
        long oursMax = counters.maxExchangesWithPrefix("ours-");
        long oursSubjects = counters.subjectsWithPrefix("ours-");
        long oursExchanges = counters.exchangesWithPrefix("ours-");
        String oursMetrics = scrape(oursManagementUrl);
        stopAll();
        Map<String, Object> heap = heapRun.join();
        writeSummary(rounds, hang, heap, jfr, oursMax, oursSubjects, oursExchanges, oursMetrics);
    }

    // ---------------------------------------------------------------- processes

    private int[] ports;
    private String issuer;
    private String jwks;
    private String staticSession;
    private ManagedProcess peer;

    private void startOrg() throws Exception {
        ports = freePorts(7);
        orgUrl = "http://127.0.0.1:" + ports[0];
        oursUrl = "http://127.0.0.1:" + ports[2];
        limitUrl = "http://127.0.0.1:" + ports[3];
        peerUrl = "http://127.0.0.1:" + ports[4];
        oursManagementUrl = GatewayArgs.managementUrl(ports[5]);
        limitManagementUrl = GatewayArgs.managementUrl(ports[6]);
        Path logs = out.resolve("logs");
        emulator = track(ManagedProcess.java("emulator", GATEWAY_JVM, jar("emulator-jar"),
                List.of("--port=" + ports[0], "--idp-port=" + ports[1], "--auto-provision-users=true",
                        "--client-id=" + EmulatorAdmin.CLIENT_ID, "--client-secret=" + EmulatorAdmin.CLIENT_SECRET,
                        "--session-timeout=7200"),
                logs.resolve("emulator.log")));
        emulator.awaitLog("salesforce-emulator ready", Duration.ofSeconds(90));
        org = new EmulatorAdmin(orgUrl);
        Map<String, String> idp = org.idp();
        issuer = idp.get("issuer");
        jwks = idp.get("jwksUri");
        staticSession = org.exchangeDirectly(org.mint("bench-static", Duration.ofHours(3)));
        write("static.txt", List.of(staticSession));
        log("org up at %s (IdP %s); static session obtained by a direct exchange", orgUrl, issuer);
    }

    private void startGateways() {
        Path logs = out.resolve("logs");
        ours = track(ManagedProcess.java("ours", GATEWAY_JVM, jar("gateway-jar"),
                GatewayArgs.ours(ports[2], ports[5], orgUrl, issuer, jwks, Duration.ofSeconds(3), Duration.ofSeconds(10)),
                logs.resolve("ours.log")));
        limit = track(ManagedProcess.java("limit", GATEWAY_JVM, jar("gateway-jar"),
                GatewayArgs.limit(ports[3], ports[6], orgUrl, issuer, jwks, staticSession), logs.resolve("limit.log")));
        peer = track(ManagedProcess.java("peer", GATEWAY_JVM, jar("peer-jar"),
                List.of("--server.port=" + ports[4], "--server.address=127.0.0.1", "--spring.main.banner-mode=off",
                        "--SF_LOGIN_URL=" + orgUrl, "--SF_CLIENT_ID=" + EmulatorAdmin.CLIENT_ID,
                        "--SF_CLIENT_SECRET=" + EmulatorAdmin.CLIENT_SECRET, "--SF_SCOPES=api",
                        "--IDP_ISSUER=" + issuer, "--IDP_JWKS_URI=" + jwks,
                        "--IDP_AUDIENCES=" + EmulatorAdmin.AUDIENCE),
                logs.resolve("peer.log")));
    }

    private void awaitGateways() {
        ours.awaitOk(oursManagementUrl + "/actuator/health/readiness", Duration.ofSeconds(180));
        limit.awaitOk(limitManagementUrl + "/actuator/health/readiness", Duration.ofSeconds(180));
        peer.awaitOk(peerUrl + "/actuator/health/readiness", Duration.ofSeconds(180));
        log("gateways up: ours %s, limit %s, peer %s", oursUrl, limitUrl, peerUrl);
    }

    private ManagedProcess track(ManagedProcess process) {
        processes.add(process);
        return process;
    }

    private void stopAll() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).close();
        }
        processes.clear();
    }

    private Path jar(String option) {
        Path jar = Path.of(required(option));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("--" + option + ": " + jar + " does not exist (build first)");
        }
        return jar;
    }

    private String required(String option) {
        String value = opts.get(option);
        if (value == null) {
            throw new IllegalArgumentException("--" + option + "=... is required");
        }
        return value;
    }

    // ---------------------------------------------------------------- tokens

    /** Token files for wrk; subjects are named by role, so the org's per-subject counts tell them apart. */
    private record Tokens(Path static_, Path oursWarm, Path peerWarm, Path rtt, List<Path> cold, List<String> coldWarmup,
            List<String> burst, Path breaker, List<String> hang, List<String> oursWarmList) {
    }

    private Tokens mintTokens() throws IOException {
        long t0 = System.nanoTime();
        Duration ttl = Duration.ofHours(3);
        List<String> oursWarm = org.mintAll(subjects("ours-warm-", mode.subjects()), ttl);
        List<String> peerWarm = org.mintAll(subjects("peer-warm-", mode.subjects()), ttl);
        List<String> rtt = org.mintAll(subjects("rtt-", 20), ttl);
        List<Path> cold = new ArrayList<>();
        for (int r = 1; r <= mode.rounds(); r++) {
            cold.add(write("cold-r" + r + ".txt",
                    org.mintAll(subjects("ours-cold-r" + r + "-", mode.coldTokens()), ttl)));
        }
        List<String> coldWarmup = org.mintAll(subjects("ours-coldwarmup-", mode.coldWarmupSubjects()), ttl);
        List<String> burst = org.mintAll(subjects("ours-burst-r", mode.rounds() + 1), ttl);
        Path breaker = write("breaker.txt", org.mintAll(subjects("ours-breaker-", 40), ttl));
        List<String> hang = org.mintAll(subjects("ours-hang-", mode.hangingRequests()), ttl);
        log("minted %d IdP tokens in %.1f s (while the gateways start)", 2 * mode.subjects() + 20
                + cold.size() * mode.coldTokens() + mode.coldWarmupSubjects() + burst.size() + 40
                + mode.hangingRequests(), (System.nanoTime() - t0) / 1e9);
        return new Tokens(tokensDir.resolve("static.txt"), write("ours-warm.txt", oursWarm),
                write("peer-warm.txt", peerWarm), write("rtt.txt", rtt), cold, coldWarmup, burst, breaker, hang,
                oursWarm);
    }

    private static List<String> subjects(String prefix, int n) {
        List<String> subjects = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            subjects.add(String.format("%s%05d", prefix, i));
        }
        return subjects;
    }

    private Path write(String name, List<String> lines) throws IOException {
        Path file = tokensDir.resolve(name);
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    // ---------------------------------------------------------------- warm-up

    private void primeAndCheck(Tokens tokens) throws IOException {
        expect200("floor", orgUrl + LIMITS, Files.readAllLines(tokens.static_()).get(0));
        expect200("limit", limitUrl + LIMITS, "not-used-the-route-sets-the-header");
        expect200("peer", peerUrl + LIMITS, Files.readAllLines(tokens.peerWarm()).get(0));
        long t0 = System.nanoTime();
        List<Integer> statuses = concurrentGets(oursUrl + LIMITS, tokens.oursWarmList(), 16, Duration.ofSeconds(30));
        long bad = statuses.stream().filter(s -> s != 200).count();
        if (bad > 0) {
            throw new IllegalStateException(bad + " of " + statuses.size() + " priming requests to ours failed");
        }
        EmulatorAdmin.Counters counters = org.counters();
        log("primed ours: %d subjects, %d exchanges, %.1f s", statuses.size(),
                counters.exchangesWithPrefix("ours-warm-"), (System.nanoTime() - t0) / 1e9);
    }

    private void expect200(String what, String url, String token) {
        int status = Http.get(url, Map.of("Authorization", "Bearer " + token), Duration.ofSeconds(30)).status();
        if (status != 200) {
            throw new IllegalStateException(what + ": GET " + url + " answered " + status);
        }
    }

    private void warmUp(Tokens tokens) throws Exception {
        long t0 = System.nanoTime();
        int c = mode.connections();
        Duration d = mode.warmup();
        wrk.run("warmup-floor", orgUrl, LIMITS, tokens.static_(), "cycle", "get", c, d);
        wrk.run("warmup-limit", limitUrl, LIMITS, tokens.static_(), "cycle", "get", c, d);
        wrk.run("warmup-ours", oursUrl, LIMITS, tokens.oursWarm(), "cycle", "get", c, d);
        wrk.run("warmup-peer", peerUrl, LIMITS, tokens.peerWarm(), "cycle", "get", c, d);
        // The cold path (validate, exchange, parse, cache, forward) runs once per new subject: give the JIT a few
        // thousand of them, as a gateway with steady churn sees, before measuring it.
        // (The quick mode relies on priming's 1,000 exchanges.)
        if (!tokens.coldWarmup().isEmpty()) {
            // Cross-check of the heap harness on the running gateway: live heap (GC.class_histogram, after a full
            // GC) before and after these new subjects, per subject: everything the gateway keeps for one.
            Map<String, long[]> histogramBefore = histogram(ours.pid());
            long t1 = System.nanoTime();
            // In slices of 2,000 new subjects, until the JIT compiler threads are quiet during one (the cold path has
            // its own code: JWT verification, the exchange client, parsing, the audit line) or the tokens run out.
            List<Integer> cold = new ArrayList<>();
            List<String> all = tokens.coldWarmup();
            double compiling = Double.NaN;
            int slices = 0;
            for (int from = 0; from < all.size(); from += 2000) {
                double before = compilerCpuSeconds(ours.pid());
                long sliceStart = System.nanoTime();
                cold.addAll(concurrentGets(oursUrl + LIMITS, all.subList(from, Math.min(all.size(), from + 2000)), 8,
                        Duration.ofSeconds(30)));
                compiling = (compilerCpuSeconds(ours.pid()) - before) / ((System.nanoTime() - sliceStart) / 1e9);
                slices++;
                if (compiling < 0.03) {
                    break;
                }
            }
            jitSettle.put("ours_cold", Map.of("subjects", cold.size(),
                    "compiler_core_share_last", Math.round(compiling * 1000) / 1000.0));
            log("cold-path warm-up: %d new subjects in %.1f s, %d slice(s), compiler threads at %.1f %% of a core in"
                    + " the last (%d not 200)", cold.size(), (System.nanoTime() - t1) / 1e9, slices, compiling * 100,
                    cold.stream().filter(x -> x != 200).count());
            liveHeap = liveHeapPerSubject(histogramBefore, histogram(ours.pid()), cold.size());
            log("live gateway heap per new subject: %s", liveHeap);
            org.latency(mode.tokenLatencyMs(), 0);
            wrk.run("warmup-rtt", orgUrl, TOKEN_PATH, tokens.rtt(), "cycle", "exchange", 1, mode.latency());
            wrk.run("warmup-peer-c1", peerUrl, LIMITS, tokens.peerWarm(), "cycle", "get", 1, mode.latency());
            org.latency(0, 0);
        }
        // A fixed warm-up leaves the JIT compiling for minutes on 2 shared cores (a profile after 15 s showed the C2
        // thread taking a fifth of the gateway's CPU, and the target warmed least looking twice as expensive): go on
        // until each gateway's compiler threads are quiet, so rounds compare compiled code with compiled code.
        settle("limit", limit, limitUrl, tokens.static_());
        settle("ours", ours, oursUrl, tokens.oursWarm());
        settle("peer", peer, peerUrl, tokens.peerWarm());
        log("warm-up done in %.1f s", (System.nanoTime() - t0) / 1e9);
    }

    /** Warm-up slices under load until the gateway's JIT compiler threads use under 3 % of a core, or the cap. */
    private void settle(String name, ManagedProcess gateway, String url, Path tokens) {
        if (!mode.name().equals("full")) {
            return; // --quick checks that everything works in under 3 minutes; its figures are not the reference
        }
        Duration slice = Duration.ofSeconds(5);
        int maxSlices = 36;
        double compiling = Double.NaN;
        int n = 0;
        while (n < maxSlices) {
            n++;
            double before = compilerCpuSeconds(gateway.pid());
            long start = System.nanoTime();
            wrk.run("settle-" + name + "-" + n, url, LIMITS, tokens, "cycle", "get", mode.connections(), slice);
            compiling = (compilerCpuSeconds(gateway.pid()) - before) / ((System.nanoTime() - start) / 1e9);
            if (compiling < 0.03) {
                break;
            }
        }
        log("%s: JIT %s after %d more slice(s) of %d s (compiler threads at %.1f %% of a core in the last)", name,
                compiling < 0.03 ? "settled" : "still compiling", n, slice.toSeconds(), compiling * 100);
        jitSettle.put(name, Map.of("slices", n, "compiler_core_share_last", Math.round(compiling * 1000) / 1000.0));
    }

    // ---------------------------------------------------------------- rounds

    /** One round's results: throughput runs, latency runs (1 connection), the burst. */
    record Round(int number, Map<String, Wrk.Result> load, Map<String, Wrk.Result> latency, double peerExchanges,
            double peerRestCalls, long oursWarmExchanges, int burstOk, long burstExchanges,
            double gatewayExchangeMeanMs) {
    }

    private Round round(int r, Tokens tokens) {
        long t0 = System.nanoTime();
        boolean forward = r % 2 == 1;
        int c = mode.connections();
        Duration d = mode.throughput();
        Map<String, Wrk.Result> load = new LinkedHashMap<>();
        double peerExchanges = 0;
        double peerRestCalls = 0;
        long oursWarmExchanges = 0;
        for (String target : order(forward, "floor", "limit", "ours", "peer")) {
            EmulatorAdmin.Counters before = org.counters();
            ManagedProcess gateway = switch (target) {
                case "limit" -> limit;
                case "ours" -> ours;
                case "peer" -> peer;
                default -> null;
            };
            double[] cpuBefore = cpu(gateway);
            Wrk.Result result = switch (target) {
                case "floor" -> wrk.run("r" + r + "-floor", orgUrl, LIMITS, tokens.static_(), "cycle", "get", c, d);
                case "limit" -> wrk.run("r" + r + "-limit", limitUrl, LIMITS, tokens.static_(), "cycle", "get", c, d);
                case "ours" -> wrk.run("r" + r + "-ours-warm", oursUrl, LIMITS, tokens.oursWarm(), "cycle", "get", c,
                        d);
                default -> wrk.run("r" + r + "-peer", peerUrl, LIMITS, tokens.peerWarm(), "cycle", "get", c, d);
            };
            double[] cpuAfter = cpu(gateway);
            double seconds = (cpuAfter[3] - cpuBefore[3]);
            cpuUse.computeIfAbsent(target, k -> new ArrayList<>()).add(new double[] {
                (cpuAfter[0] - cpuBefore[0]) / seconds, (cpuAfter[1] - cpuBefore[1]) / seconds,
                (cpuAfter[2] - cpuBefore[2]) / seconds});
            EmulatorAdmin.Counters after = org.counters();
            if (target.equals("peer")) {
                // Both counted at the org, so requests still in flight when wrk stops count on both sides.
                peerExchanges = after.exchangesWithPrefix("peer-") - before.exchangesWithPrefix("peer-");
                peerRestCalls = after.restCalls() - before.restCalls();
            }
            if (target.equals("ours")) {
                oursWarmExchanges = after.exchangesWithPrefix("ours-warm-") - before.exchangesWithPrefix("ours-warm-");
            }
            load.put(target, result);
            record("load", r, target, result);
        }

        org.latency(mode.tokenLatencyMs(), 0);
        Map<String, Wrk.Result> latency = new LinkedHashMap<>();
        Duration l = mode.latency();
        double gatewayExchangeMeanMs = Double.NaN;
        for (String target : order(forward, "floor", "limit", "ours-warm", "exchange", "ours-cold", "peer")) {
            String before = target.equals("ours-cold") ? scrape(oursManagementUrl) : "";
            Wrk.Result result = switch (target) {
                case "floor" -> wrk.run("r" + r + "-c1-floor", orgUrl, LIMITS, tokens.static_(), "cycle", "get", 1, l);
                case "limit" -> wrk.run("r" + r + "-c1-limit", limitUrl, LIMITS, tokens.static_(), "cycle", "get", 1,
                        l);
                case "ours-warm" -> wrk.run("r" + r + "-c1-ours-warm", oursUrl, LIMITS, tokens.oursWarm(), "cycle",
                        "get", 1, l);
                case "exchange" -> wrk.run("r" + r + "-c1-exchange", orgUrl, TOKEN_PATH, tokens.rtt(), "cycle",
                        "exchange", 1, l);
                case "peer" -> wrk.run("r" + r + "-c1-peer", peerUrl, LIMITS, tokens.peerWarm(), "cycle", "get", 1,
                        l);
                default -> wrk.run("r" + r + "-c1-ours-cold", oursUrl, LIMITS, tokens.cold().get(r - 1), "once",
                        "get", 1, l);
            };
            if (target.equals("ours-cold")) {
                // The gateway's own timer of the exchange (salesforce.token.exchange, outcome=success).
                String after = scrape(oursManagementUrl);
                String timer = "salesforce_token_exchange_seconds";
                double count = metric(after, timer + "_count", "outcome=\"success\"")
                        - metric(before, timer + "_count", "outcome=\"success\"");
                double sum = metric(after, timer + "_sum", "outcome=\"success\"")
                        - metric(before, timer + "_sum", "outcome=\"success\"");
                gatewayExchangeMeanMs = count > 0 ? sum / count * 1000 : Double.NaN;
            }
            latency.put(target, result);
            record("latency", r, target, result);
        }
        // Burst: hundreds of first requests for one new subject at once, while its exchange takes the token latency.
        String burstToken = tokens.burst().get(r - 1);
        List<Integer> statuses = concurrentGets(oursUrl + LIMITS, java.util.Collections.nCopies(mode.burstUsers(),
                burstToken), mode.burstUsers(), Duration.ofSeconds(30));
        int burstOk = (int) statuses.stream().filter(s -> s == 200).count();
        long burstExchanges = org.counters().exchangesBySubject().getOrDefault(
                String.format("ours-burst-r%05d", r - 1), 0L);
        org.latency(0, 0);

        Wrk.Result o = load.get("ours");
        Wrk.Result lim = load.get("limit");
        log("round %d (%.0f s): rps floor %.0f, limit %.0f, ours %.0f (x%.3f), peer %.0f (x%.3f, %.2f exchanges/req);"
                + " p99 limit %.2f ours %.2f ms; cold p50 %.2f, exchange p50 %.2f, floor p50 %.3f ms; burst %d/%d ok,"
                + " %d exchange(s)", r, (System.nanoTime() - t0) / 1e9, load.get("floor").rps(), lim.rps(), o.rps(),
                o.rps() / lim.rps(), load.get("peer").rps(), load.get("peer").rps() / lim.rps(),
                peerExchanges / peerRestCalls, lim.p99(), o.p99(), latency.get("ours-cold").p50(),
                latency.get("exchange").p50(), latency.get("floor").p50(), burstOk, mode.burstUsers(),
                burstExchanges);
        return new Round(r, load, latency, peerExchanges, peerRestCalls, oursWarmExchanges, burstOk,
                burstExchanges, gatewayExchangeMeanMs);
    }

    /** Cores used per target run: the gateway under test, the org, the whole machine (all processes). */
    private final Map<String, List<double[]>> cpuUse = new LinkedHashMap<>();

    /** CPU seconds so far: {gateway, org, machine busy, wall clock}. */
    private double[] cpu(ManagedProcess gateway) {
        return new double[] {gateway == null ? 0 : cpuSeconds(gateway.pid()), cpuSeconds(emulator.pid()),
            machineBusySeconds(), System.nanoTime() / 1e9};
    }

    private static List<String> order(boolean forward, String... targets) {
        List<String> list = new ArrayList<>(List.of(targets));
        if (!forward) {
            java.util.Collections.reverse(list);
        }
        return list;
    }

    private void record(String kind, int round, String target, Wrk.Result result) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("kind", kind);
        run.put("round", round);
        run.put("target", target);
        run.put("requests", result.requests());
        run.put("rps", Stats.round(result.rps(), 1));
        run.put("p50_ms", result.p50());
        run.put("p90_ms", result.p90());
        run.put("p99_ms", result.p99());
        run.put("p999_ms", result.p999());
        run.put("max_ms", result.max());
        run.put("errors", result.errors());
        run.put("tokens_exhausted", result.exhausted());
        runs.add(run);
        if (result.errors() > 0 || result.exhausted()) {
            log("WARNING %s: %d errors (status %d, socket %d, timeouts %d), tokens exhausted %s", result.label(),
                    result.errors(), result.statusErrors(), result.socketErrors(), result.timeouts(),
                    result.exhausted());
        }
    }

    /** GETs {@code url} once per token with at most {@code parallel} in flight; the statuses, in order. */
    private static List<Integer> concurrentGets(String url, List<String> tokens, int parallel, Duration timeout) {
        Semaphore inFlight = new Semaphore(parallel);
        List<CompletableFuture<Integer>> futures = new ArrayList<>();
        for (String token : tokens) {
            inFlight.acquireUninterruptibly();
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                    .header("Authorization", "Bearer " + token).GET().build();
            futures.add(Http.client().sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .whenComplete((r, e) -> inFlight.release())
                    .handle((r, e) -> e == null ? r.statusCode() : -1));
        }
        return futures.stream().map(CompletableFuture::join).toList();
    }

    // ---------------------------------------------------------------- token endpoint hanging

    private Map<String, Object> hangProbe(Tokens tokens) throws Exception {
        Map<String, Object> hang = new LinkedHashMap<>();
        org.fault("HANG");
        try {
            // Cached subjects first, while the breaker is still closed: they must not notice.
            Wrk.Result cached = wrk.run("hang-cached", oursUrl, LIMITS, tokens.oursWarm(), "cycle", "get",
                    mode.connections(), mode.hangProbe());
            record("hang", 0, "ours-cached", cached);
            // Cold subjects before the breaker opens: each waits for the exchange timeout (3 s), then 503. The
            // breaker (window of 20 calls, 50 % failures) has seen successful exchanges before, so it takes up to
            // 20 failed calls to open it: send that many at once.
            List<CompletableFuture<long[]>> waits = new ArrayList<>();
            for (String token : tokens.hang()) {
                long t0 = System.nanoTime();
                HttpRequest request = HttpRequest.newBuilder(URI.create(oursUrl + LIMITS))
                        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).GET().build();
                waits.add(Http.client().sendAsync(request, HttpResponse.BodyHandlers.discarding())
                        .handle((r, e) -> new long[] {e == null ? r.statusCode() : -1, System.nanoTime() - t0}));
            }
            List<Double> closedMs = new ArrayList<>();
            List<Long> closedStatus = new ArrayList<>();
            for (CompletableFuture<long[]> wait : waits) {
                long[] result = wait.join();
                closedStatus.add(result[0]);
                closedMs.add(Stats.round(result[1] / 1e6, 1));
            }
            String breakerState = breakerState(scrape(oursManagementUrl));
            // Cold subjects once it is open: refused at once, without calling the org. One connection, like the
            // other latency runs: the time to answer, not the machine's queue.
            long tokenRequestsBefore = org.counters().tokenRequests();
            Wrk.Result open = wrk.run("hang-breaker-open", oursUrl, LIMITS, tokens.breaker(), "cycle", "get", 1,
                    mode.hangProbe());
            long tokenRequestsDuring = org.counters().tokenRequests() - tokenRequestsBefore;
            record("hang", 0, "ours-cold-breaker-open", open);
            boolean opened = breakerState.equals("open") && open.requests() > 0
                    && open.statusErrors() == open.requests() && tokenRequestsDuring == 0;
            hang.put("cached_during_hang_rps", Stats.round(cached.rps(), 1));
            hang.put("cached_during_hang_p50_ms", cached.p50());
            hang.put("cached_during_hang_p99_ms", cached.p99());
            hang.put("cached_during_hang_errors", cached.errors());
            hang.put("breaker_closed_cold_requests", closedMs.size());
            hang.put("breaker_closed_cold_p50_ms", Stats.round(Stats.median(closedMs), 1));
            hang.put("breaker_closed_cold_max_ms", Stats.round(Stats.max(closedMs), 1));
            hang.put("breaker_closed_cold_status", closedStatus.stream().distinct().toList());
            hang.put("breaker_state_after_timeouts", breakerState);
            hang.put("breaker_opened", opened);
            hang.put("breaker_open_requests", open.requests());
            hang.put("breaker_open_non_2xx", open.statusErrors());
            hang.put("breaker_open_p50_ms", open.requests() > 0 ? open.p50() : Double.NaN);
            hang.put("breaker_open_p99_ms", open.requests() > 0 ? open.p99() : Double.NaN);
            hang.put("breaker_open_max_ms", open.requests() > 0 ? open.max() : Double.NaN);
            hang.put("breaker_open_token_requests", tokenRequestsDuring);
            log("token endpoint hanging: cached p99 %.2f ms (%d errors); %d cold at once before the breaker opens:"
                    + " p50 %.0f ms, max %.0f ms, statuses %s; breaker %s; then %d cold requests, %d non-2xx, p50 %.2f"
                    + " p99 %.2f ms, %d token requests", cached.p99(), cached.errors(), closedMs.size(),
                    Stats.median(closedMs), Stats.max(closedMs), closedStatus.stream().distinct().toList(),
                    breakerState, open.requests(), open.statusErrors(), open.p50(), open.p99(), tokenRequestsDuring);
        } finally {
            org.fault("NONE");
        }
        return hang;
    }

    private static String breakerState(String scrape) {
        Matcher m = Pattern.compile("resilience4j_circuitbreaker_state\\{[^}]*state=\"([a-z_]+)\"[^}]*} 1\\.0")
                .matcher(scrape);
        return m.find() ? m.group(1) : "unknown";
    }

    /** The Prometheus scrape of the gateway whose actuator answers at {@code managementUrl}. */
    private static String scrape(String managementUrl) {
        try {
            return Http.get(managementUrl + "/actuator/prometheus", Map.of(), Duration.ofSeconds(10)).body();
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static double metric(String scrape, String name, String label) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? ([0-9.eE+-]+)$").matcher(scrape);
        double sum = 0;
        while (m.find()) {
            if (m.group(1) != null && m.group(1).contains(label)) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }

    // ---------------------------------------------------------------- profiling

    /** JFR on ours and on limit under the same warm load, and on ours with cold subjects. */
    private Map<String, Object> profile(Tokens tokens) throws Exception {
        Map<String, Object> reports = new LinkedHashMap<>();
        Duration d = Duration.ofSeconds(Long.parseLong(opts.getOrDefault("jfr-seconds", "20")));
        reports.put("ours_warm", jfr(ours, "ours-warm", () -> wrk.run("jfr-ours-warm", oursUrl, LIMITS,
                tokens.oursWarm(), "cycle", "get", mode.connections(), d)));
        reports.put("limit", jfr(limit, "limit", () -> wrk.run("jfr-limit", limitUrl, LIMITS, tokens.static_(),
                "cycle", "get", mode.connections(), d)));
        Path coldTokens = write("cold-jfr.txt", org.mintAll(subjects("ours-coldjfr-",
                (int) (d.toMillis() / 5) + 100), Duration.ofHours(1)));
        org.latency(mode.tokenLatencyMs(), 0);
        try {
            // 8 connections, each request a new subject: about 150 exchanges a second with 50 ms token latency.
            reports.put("ours_cold", jfr(ours, "ours-cold", () -> wrk.run("jfr-ours-cold", oursUrl, LIMITS,
                    coldTokens, "once", "get", 8, d)));
            // One connection, as the cold-overhead figure is measured: where a lone cold request's time goes.
            Path coldC1Tokens = write("cold-c1-jfr.txt", org.mintAll(subjects("ours-coldc1jfr-",
                    (int) (d.toMillis() / 40) + 40), Duration.ofHours(1)));
            reports.put("ours_cold_c1", jfr(ours, "ours-cold-c1", () -> wrk.run("jfr-ours-cold-c1", oursUrl, LIMITS,
                    coldC1Tokens, "once", "get", 1, d)));
        } finally {
            org.latency(0, 0);
        }
        return reports;
    }

    private String jfr(ManagedProcess target, String name, java.util.function.Supplier<Wrk.Result> load)
            throws Exception {
        Path recording = out.resolve("jfr-" + name + ".jfr").toAbsolutePath();
        String asyncProfiler = opts.get("async-profiler");
        if (asyncProfiler != null) {
            // async-profiler (its libasyncProfiler.so, e.g. from Maven Central's tools.profiler:async-profiler jar):
            // CPU samples of every thread, Java and native frames, written as collapsed stacks for flame graphs.
            Path collapsed = out.resolve("prof-" + name + ".collapsed").toAbsolutePath();
            // (jcmd reads a bare "key=value" argument as a named option: the agent's options go in quotes.)
            jcmd(target.pid(), "JVMTI.agent_load", asyncProfiler, "\"start,event=cpu,interval=1ms\"");
            Wrk.Result result = load.get();
            jcmd(target.pid(), "JVMTI.agent_load", asyncProfiler, "\"stop,collapsed,file=" + collapsed + "\"");
            String report = String.format("load: %s, %.0f rps, p50 %.2f ms, p99 %.2f ms; stacks in %s%n",
                    result.label(), result.rps(), result.p50(), result.p99(), collapsed.getFileName());
            log("profile %s: %s", name, report);
            return report;
        }
        jcmd(target.pid(), "JFR.start", "name=bench", "settings=profile", "filename=" + recording);
        Wrk.Result result = load.get();
        jcmd(target.pid(), "JFR.stop", "name=bench");
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        try (PrintStream print = new PrintStream(text, true, StandardCharsets.UTF_8)) {
            print.printf("load: %s, %.0f rps, p50 %.2f ms, p99 %.2f ms%n", result.label(), result.rps(), result.p50(),
                    result.p99());
            JfrTop.report(recording, "io.sfgateway.tokenexchange", 20, print);
        }
        String report = text.toString(StandardCharsets.UTF_8);
        Files.writeString(out.resolve("jfr-" + name + ".txt"), report, StandardCharsets.UTF_8);
        log("JFR %s:%n%s", name, report);
        return report;
    }

    /** Live heap per new subject on the running gateway, with the classes that grew most. */
    private Map<String, Object> liveHeap = Map.of();

    /** {@code jcmd <pid> GC.class_histogram}: class name to {instances, bytes}; "Total" for the sums. */
    private static Map<String, long[]> histogram(long pid) throws Exception {
        List<String> args = List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid), "GC.class_histogram");
        Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(60, TimeUnit.SECONDS);
        Map<String, long[]> classes = new LinkedHashMap<>();
        Matcher row = Pattern.compile("(?m)^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)").matcher(output);
        while (row.find()) {
            classes.put(row.group(3), new long[] {Long.parseLong(row.group(1)), Long.parseLong(row.group(2))});
        }
        Matcher total = Pattern.compile("(?m)^Total\\s+(\\d+)\\s+(\\d+)").matcher(output);
        if (total.find()) {
            classes.put("Total", new long[] {Long.parseLong(total.group(1)), Long.parseLong(total.group(2))});
        }
        return classes;
    }

    private static Map<String, Object> liveHeapPerSubject(Map<String, long[]> before, Map<String, long[]> after,
            int subjects) {
        Map<String, Object> result = new LinkedHashMap<>();
        long total = after.getOrDefault("Total", new long[2])[1] - before.getOrDefault("Total", new long[2])[1];
        result.put("subjects", subjects);
        result.put("bytes_per_subject", Stats.round(total / (double) subjects, 1));
        Map<String, Double> grew = new LinkedHashMap<>();
        after.entrySet().stream().filter(e -> !e.getKey().equals("Total"))
                .map(e -> Map.entry(e.getKey(), e.getValue()[1] - before.getOrDefault(e.getKey(), new long[2])[1]))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(14)
                .forEach(e -> grew.put(e.getKey(), Stats.round(e.getValue() / (double) subjects, 1)));
        result.put("top_classes_bytes_per_subject", grew);
        return result;
    }

    private static void jcmd(long pid, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd")
                .toString(), Long.toString(pid)));
        args.addAll(List.of(command));
        Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + String.join(" ", command) + ": " + output);
        }
    }

    // ---------------------------------------------------------------- heap

    private Map<String, Object> heapHarness() throws Exception {
        List<String> command = List.of(ManagedProcess.javaExecutable(), "-XX:+UseSerialGC", "-Xms1g", "-Xmx1g",
                "-cp", required("classpath"), HeapPerSession.class.getName(), "100000");
        Path log = out.resolve("logs").resolve("heap.log");
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

    // ---------------------------------------------------------------- summary

    private void writeSummary(List<Round> rounds, Map<String, Object> hang, Map<String, Object> heap,
            Map<String, Object> jfr, long oursMax, long oursSubjects, long oursExchanges, String oursMetrics)
            throws IOException {
        List<Double> ratio = new ArrayList<>();
        List<Double> p99Delta = new ArrayList<>();
        List<Double> p50Delta = new ArrayList<>();
        List<Double> peerRatio = new ArrayList<>();
        List<Double> peerPerRequest = new ArrayList<>();
        List<Double> cold = new ArrayList<>();
        List<Double> coldFixed = new ArrayList<>();
        List<Double> c1WarmP50Delta = new ArrayList<>();
        List<Double> c1WarmP99Delta = new ArrayList<>();
        List<Double> gatewayExchange = new ArrayList<>();
        Map<String, List<Double>> rps = new LinkedHashMap<>();
        Map<String, List<Double>> p50 = new LinkedHashMap<>();
        Map<String, List<Double>> p99 = new LinkedHashMap<>();
        Map<String, List<Double>> c1p50 = new LinkedHashMap<>();
        Map<String, List<Double>> c1p99 = new LinkedHashMap<>();
        long errors = 0;
        long oursWarmExchanges = 0;
        int burstOk = 0;
        long burstMax = 0;
        for (Round r : rounds) {
            Wrk.Result o = r.load().get("ours");
            Wrk.Result l = r.load().get("limit");
            Wrk.Result p = r.load().get("peer");
            ratio.add(o.rps() / l.rps());
            p99Delta.add(o.p99() - l.p99());
            p50Delta.add(o.p50() - l.p50());
            peerRatio.add(p.rps() / l.rps());
            peerPerRequest.add(r.peerExchanges() / r.peerRestCalls());
            gatewayExchange.add(r.gatewayExchangeMeanMs());
            r.load().forEach((k, v) -> {
                rps.computeIfAbsent(k, x -> new ArrayList<>()).add(v.rps());
                p50.computeIfAbsent(k, x -> new ArrayList<>()).add(v.p50());
                p99.computeIfAbsent(k, x -> new ArrayList<>()).add(v.p99());
            });
            r.latency().forEach((k, v) -> {
                c1p50.computeIfAbsent(k, x -> new ArrayList<>()).add(v.p50());
                c1p99.computeIfAbsent(k, x -> new ArrayList<>()).add(v.p99());
            });
            Map<String, Wrk.Result> lat = r.latency();
            cold.add(lat.get("ours-cold").p50() - lat.get("exchange").p50() - lat.get("floor").p50());
            coldFixed.add(lat.get("ours-cold").p50() - mode.tokenLatencyMs() - lat.get("floor").p50());
            c1WarmP50Delta.add(lat.get("ours-warm").p50() - lat.get("limit").p50());
            c1WarmP99Delta.add(lat.get("ours-warm").p99() - lat.get("limit").p99());
            for (Wrk.Result result : r.load().values()) {
                errors += result.errors();
            }
            for (Wrk.Result result : r.latency().values()) {
                errors += result.errors();
            }
            oursWarmExchanges += r.oursWarmExchanges();
            burstOk += r.burstOk();
            burstMax = Math.max(burstMax, r.burstExchanges());
        }
        // The figure is the running gateway's (everything it keeps per cached subject: the session cache entry
        // and the verified-token entry); the harness (SessionCache alone) stays beside it.
        double harnessPerSession = ((Number) heap.get("heap_bytes_per_session")).doubleValue();
        double heapPerSession = liveHeap.isEmpty() ? harnessPerSession
                : ((Number) liveHeap.get("bytes_per_subject")).doubleValue();

        Map<String, Object> s = new LinkedHashMap<>();
        s.put("warm_rps_ratio_vs_limit", Stats.round(Stats.median(ratio), 3));
        s.put("warm_p99_delta_ms", Stats.round(Stats.median(p99Delta), 2));
        s.put("exchanges_per_subject", oursMax);
        s.put("peer_exchanges_per_request", Stats.round(Stats.median(peerPerRequest), 3));
        s.put("peer_rps_ratio_vs_limit", Stats.round(Stats.median(peerRatio), 3));
        s.put("cold_overhead_p50_ms", Stats.round(Stats.median(cold), 2));
        s.put("breaker_open_p99_ms", hang.get("breaker_open_p99_ms"));
        s.put("heap_bytes_per_session", Stats.round(heapPerSession, 1));

        Map<String, Object> figures = new LinkedHashMap<>();
        rps.forEach((k, v) -> figures.put("rps_" + k.replace('-', '_'), Stats.round(Stats.median(v), 1)));
        p50.forEach((k, v) -> figures.put("p50_ms_" + k.replace('-', '_'), Stats.round(Stats.median(v), 3)));
        p99.forEach((k, v) -> figures.put("p99_ms_" + k.replace('-', '_'), Stats.round(Stats.median(v), 3)));
        c1p50.forEach((k, v) -> figures.put("c1_p50_ms_" + k.replace('-', '_'), Stats.round(Stats.median(v), 3)));
        c1p99.forEach((k, v) -> figures.put("c1_p99_ms_" + k.replace('-', '_'), Stats.round(Stats.median(v), 3)));
        figures.put("warm_p50_delta_ms", Stats.round(Stats.median(p50Delta), 3));
        figures.put("warm_c1_p50_delta_ms", Stats.round(Stats.median(c1WarmP50Delta), 3));
        figures.put("warm_c1_p99_delta_ms", Stats.round(Stats.median(c1WarmP99Delta), 3));
        figures.put("cold_overhead_p50_ms_vs_fixed_latency", Stats.round(Stats.median(coldFixed), 2));
        figures.put("cold_gateway_exchange_timer_mean_ms", Stats.round(Stats.median(gatewayExchange), 2));
        figures.put("token_latency_ms", mode.tokenLatencyMs());
        figures.put("ours_exchanges_during_warm_rounds", oursWarmExchanges);
        figures.put("ours_subjects", oursSubjects);
        figures.put("ours_exchanges", oursExchanges);
        figures.put("burst_requests_ok", burstOk);
        figures.put("burst_requests", rounds.size() * mode.burstUsers());
        figures.put("burst_max_exchanges_per_subject", burstMax);
        figures.put("ours_coalesced_total", metric(oursMetrics, "salesforce_token_exchange_coalesced_total", "="));
        figures.put("errors_in_rounds", errors);
        cpuUse.forEach((target, samples) -> {
            figures.put("cpu_cores_gateway_" + target, target.equals("floor") ? 0.0
                    : Stats.round(Stats.median(samples.stream().map(v -> v[0]).toList()), 2));
            figures.put("cpu_cores_org_" + target, Stats.round(Stats.median(samples.stream().map(v -> v[1]).toList()), 2));
            figures.put("cpu_cores_machine_" + target,
                    Stats.round(Stats.median(samples.stream().map(v -> v[2]).toList()), 2));
        });
        figures.put("jit_settle", jitSettle);
        s.putAll(figures);
        s.put("hang", hang);
        s.put("heap", heap);
        s.put("heap_bytes_per_session_source", liveHeap.isEmpty() ? "SessionCache harness"
                : "running gateway, GC.class_histogram before/after " + liveHeap.get("subjects") + " new subjects");
        s.put("heap_bytes_per_session_harness", Stats.round(harnessPerSession, 1));
        if (!liveHeap.isEmpty()) {
            s.put("heap_live_gateway", liveHeap);
        }

        Map<String, Object> perRound = new LinkedHashMap<>();
        perRound.put("warm_rps_ratio_vs_limit", rounded(ratio, 3));
        perRound.put("warm_p99_delta_ms", rounded(p99Delta, 2));
        perRound.put("peer_rps_ratio_vs_limit", rounded(peerRatio, 3));
        perRound.put("peer_exchanges_per_request", rounded(peerPerRequest, 3));
        perRound.put("cold_overhead_p50_ms", rounded(cold, 2));
        perRound.put("cold_overhead_p50_ms_vs_fixed_latency", rounded(coldFixed, 2));
        perRound.put("cold_gateway_exchange_timer_mean_ms", rounded(gatewayExchange, 2));
        s.put("per_round", perRound);
        s.put("runs", runs);

        Map<String, Object> targets = new LinkedHashMap<>();
        targets.put("warm_rps_ratio_vs_limit", ">= 0.9");
        targets.put("warm_p99_delta_ms", "<= 1");
        targets.put("exchanges_per_subject", "== 1");
        targets.put("cold_overhead_p50_ms", "< 2");
        targets.put("breaker_open_p99_ms", "a few ms");
        targets.put("heap_bytes_per_session", "<= 1024 (100,000 sessions within 100 MB)");
        s.put("targets", targets);
        Map<String, Object> pass = new LinkedHashMap<>();
        pass.put("warm_rps_ratio_vs_limit", Stats.median(ratio) >= 0.9);
        pass.put("warm_p99_delta_ms", Stats.median(p99Delta) <= 1.0);
        pass.put("exchanges_per_subject", oursMax == 1);
        pass.put("cold_overhead_p50_ms", Stats.median(cold) < 2.0);
        pass.put("breaker_open_p99_ms", Boolean.TRUE.equals(hang.get("breaker_opened"))
                && ((Number) hang.get("breaker_open_p99_ms")).doubleValue() < 10.0);
        pass.put("heap_bytes_per_session", heapPerSession <= 1024);
        s.put("pass", pass);

        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("mode", mode.name());
        setup.put("command", opts.getOrDefault("command", "load-tests/bench.sh --" + mode.name()));
        setup.put("finished", Instant.now().toString());
        setup.put("wall_seconds", Math.round((System.nanoTime() - started) / 1e9));
        setup.put("rounds", mode.rounds());
        setup.put("throughput_seconds", mode.throughput().toSeconds());
        setup.put("latency_seconds", mode.latency().toSeconds());
        setup.put("warmup_seconds", mode.warmup().toSeconds());
        setup.put("connections", mode.connections());
        setup.put("warm_subjects", mode.subjects());
        setup.put("burst_users", mode.burstUsers());
        setup.put("load_generator", "wrk -t1 (closed loop), one bearer token per request from a file (wrk-tokens.lua)");
        setup.put("jvm", GATEWAY_JVM);
        setup.put("machine", machine());
        s.put("setup", setup);
        if (!jfr.isEmpty()) {
            s.put("jfr", jfr.keySet());
        }

        JsonMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        Files.writeString(out.resolve("summary.json"), json.writeValueAsString(s), StandardCharsets.UTF_8);
        Files.writeString(out.resolve("summary.md"), SummaryTable.markdown(s), StandardCharsets.UTF_8);
        log("wrote %s and summary.md (%d s in all)", out.resolve("summary.json"),
                Math.round((System.nanoTime() - started) / 1e9));
        System.out.println(SummaryTable.markdown(s));
    }

    private static List<Double> rounded(List<Double> values, int decimals) {
        return values.stream().map(v -> Stats.round(v, decimals)).toList();
    }

    private static Map<String, String> machine() {
        Map<String, String> machine = new LinkedHashMap<>();
        machine.put("nproc", shell("nproc"));
        machine.put("free_h", shell("free -h"));
        machine.put("java_version", shell(ManagedProcess.javaExecutable() + " -version 2>&1"));
        machine.put("cpu", shell("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"));
        machine.put("kernel", shell("uname -sr"));
        machine.put("wrk", shell("wrk --version 2>&1 | head -1"));
        return machine;
    }

    private static String shell(String command) {
        try {
            Process process = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            process.waitFor(10, TimeUnit.SECONDS);
            return text;
        } catch (IOException e) {
            return "n/a";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "n/a";
        }
    }

    private void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[bench %5.1fs] " + format + "%n",
                prepend((System.nanoTime() - started) / 1e9, args));
        System.out.flush();
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
