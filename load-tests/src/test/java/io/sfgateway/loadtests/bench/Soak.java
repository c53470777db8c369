package io.sfgateway.loadtests.bench;

import static io.sfgateway.loadtests.support.HostStats.freePorts;

import io.sfgateway.loadtests.support.EmulatorAdmin;
import io.sfgateway.loadtests.support.GatewayArgs;
import io.sfgateway.loadtests.support.Http;
import io.sfgateway.loadtests.support.Jcmd;
import io.sfgateway.loadtests.support.ManagedProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The soak behind {@code load-tests/soak.sh}: the emulated org and IdP in one JVM, {@code gateway-app.jar} as
 * shipped in another (loopback only, the benchmark's JVM flags), and this driver:
 *
 * <ol>
 *   <li>a fixed arrival rate of {@code GET /services/data/v62.0/limits} through the gateway (open model,
 *       {@link SoakLoad});</li>
 *   <li>subjects churning: a population of active subjects, new ones arriving every second, old ones retiring
 *       ({@link SoakSubjects});</li>
 *   <li>the token endpoint flapping on a fixed cycle, and a few sessions revoked at the org in each calm phase
 *       ({@link SoakFaults});</li>
 *   <li>every few seconds, a sample of the gateway process: live heap after a full GC, heap used, threads, file
 *       descriptors, sockets and connections, cache sizes ({@link SoakProbe}), with the requests and errors of the
 *       interval.</li>
 * </ol>
 *
 * At the end: {@code samples.csv}, {@code summary.json}, {@code summary.md} ({@link SoakReport}) and a verdict;
 * the exit status is 0 when it passes, 1 when it fails, 2 when the run could not be carried out.
 */
public final class Soak {

    private static final long T0 = System.nanoTime();

    /** The soak's clock: nanoseconds since this class was loaded, always positive. */
    static long nanos() {
        return System.nanoTime() - T0 + 1;
    }

    private final SoakSettings settings;
    private final Path out;
    private final Map<String, String> opts;
    private final List<ManagedProcess> processes = new ArrayList<>();
    private final long started = nanos();
    private final Map<String, Object> errorKindsBySample = new LinkedHashMap<>();
    private long tickerFailures;

    private Soak(SoakSettings settings, Path out, Map<String, String> opts) {
        this.settings = settings;
        this.out = out;
        this.opts = opts;
    }

    public static void main(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + arg);
            }
            int eq = arg.indexOf('=');
            opts.put(eq < 0 ? arg.substring(2) : arg.substring(2, eq), eq < 0 ? "true" : arg.substring(eq + 1));
        }
        int status;
        Soak soak = null;
        try {
            Path out = Path.of(opts.getOrDefault("out", "target/soak"));
            Files.createDirectories(out);
            Files.deleteIfExists(out.resolve("summary.json"));
            Files.deleteIfExists(out.resolve("summary.md"));
            soak = new Soak(SoakSettings.from(opts), out, opts);
            status = soak.run() ? 0 : 1;
        } catch (Exception e) {
            e.printStackTrace();
            status = 2;
        } finally {
            if (soak != null) {
                soak.stopAll();
            }
        }
        System.exit(status);
    }

    private boolean run() throws Exception {
        SoakSettings s = settings;
        log("%d s at %d requests/s; %d new subjects/s, each active %d s (population %d); session timeout %d s;"
                + " token endpoint fails for %d s every %d s (%s); %d sessions revoked per cycle; sample every %d s;"
                + " ramp %d s, warm-up %d s; out %s", s.duration().toSeconds(), s.rate(), s.newPerSecond(),
                s.subjectLife().toSeconds(), s.population(), s.sessionTimeout().toSeconds(),
                s.faultLength().toSeconds(), s.cycle().toSeconds(), String.join(", ", s.faults()),
                s.revokePerCycle(), s.sampleEvery().toSeconds(), s.ramp().toSeconds(), s.warmup().toSeconds(),
                out.toAbsolutePath());

        int[] ports = freePorts(4);
        String orgUrl = "http://127.0.0.1:" + ports[0];
        String gatewayUrl = "http://127.0.0.1:" + ports[2];
        String managementUrl = GatewayArgs.managementUrl(ports[3]);
        Path logs = out.resolve("logs");
        ManagedProcess emulator = track(ManagedProcess.java("emulator", BenchStack.GATEWAY_JVM, jar("emulator-jar"),
                List.of("--port=" + ports[0], "--idp-port=" + ports[1], "--auto-provision-users=true",
                        "--client-id=" + EmulatorAdmin.CLIENT_ID, "--client-secret=" + EmulatorAdmin.CLIENT_SECRET,
                        "--session-timeout=" + s.sessionTimeout().toSeconds()),
                logs.resolve("emulator.log")));
        emulator.awaitLog("salesforce-emulator ready", Duration.ofSeconds(90));
        EmulatorAdmin org = new EmulatorAdmin(orgUrl);
        Map<String, String> idp = org.idp();
        ManagedProcess gateway = track(ManagedProcess.java("gateway", BenchStack.GATEWAY_JVM, jar("gateway-jar"),
                gatewayArgs(ports[2], ports[3], orgUrl, idp.get("issuer"), idp.get("jwksUri")), logs.resolve("gateway.log")));

        String runId = Long.toString(System.currentTimeMillis() / 1000, 36);
        SoakSubjects subjects = new SoakSubjects(org, s, "soak-" + runId + "-");
        gateway.awaitOk(managementUrl + "/actuator/health/readiness", Duration.ofSeconds(180));
        org.reset();
        List<SoakSubjects.Subject> initial = subjects.mintInitial();
        long primed = nanos();
        prime(gatewayUrl, initial);
        long warmRequests = warmUp(gatewayUrl, initial, s.jitWarmup());
        log("org %s, gateway %s (pid %d); %d subjects primed, then %d requests for them in %d s (JIT warm-up)",
                orgUrl, gatewayUrl, gateway.pid(), initial.size(), warmRequests, s.jitWarmup().toSeconds());

        long start = nanos() + 100_000_000L;
        long end = start + s.duration().toNanos();
        subjects.activate(initial, primed, start);
        SoakFaults faults = new SoakFaults(org, s, subjects, managementUrl, start);
        SoakLoad load = new SoakLoad(gatewayUrl, s, subjects, faults);
        SoakProbe probe = new SoakProbe(gateway.pid(), emulator.pid(), managementUrl, ports[2], ports[0], ports[1]);
        SoakReport report = new SoakReport(out);
        Jcmd.ClassHistogram[] histograms = new Jcmd.ClassHistogram[2];

        probe.baseline();
        Thread pacer = daemon("soak-pacer", () -> load.run(start, end));
        Thread minter = daemon("soak-minter", () -> subjects.mintAhead(end));
        Thread ticker = daemon("soak-ticker", () -> tick(subjects, faults, end));
        pacer.start();
        minter.start();
        ticker.start();
        try {
            sampleUntil(end, start, s, load, subjects, faults, probe, org, gateway, report, histograms);
            pacer.join(5_000);
            boolean drained = load.drain(Duration.ofSeconds(15));
            ticker.interrupt();
            ticker.join(5_000);
            faults.clear();
            minter.interrupt();
            minter.join(5_000);
            if (!drained) {
                log("WARNING: requests still in flight 15 s after the end");
            }
        } finally {
            pacer.interrupt();
            ticker.interrupt();
            minter.interrupt();
            report.closeCsv();
        }

        Map<String, Object> summary = summarise(report, load, subjects, faults, org, histograms, start, end);
        String markdown = SoakReport.markdown(summary, report.rows(), s.warmup().toSeconds());
        report.writeSummary(summary, markdown);
        load.close();
        System.out.println(markdown);
        @SuppressWarnings("unchecked")
        boolean pass = Boolean.TRUE.equals(((Map<String, Object>) summary.get("verdict")).get("pass"));
        log("wrote %s, summary.json, summary.md: %s", out.resolve("samples.csv"), pass ? "PASS" : "FAIL");
        return pass;
    }

    /** {@link GatewayArgs#ours} with the soak's session timeout; breaker and timeout as in the benchmark. */
    private List<String> gatewayArgs(int port, int managementPort, String orgUrl, String issuer, String jwks) {
        List<String> args = new ArrayList<>();
        for (String arg : GatewayArgs.ours(port, managementPort, orgUrl, issuer, jwks, settings.exchangeTimeout(),
                settings.breakerWait())) {
            args.add(arg.startsWith("--SF_SESSION_TIMEOUT=")
                    ? "--SF_SESSION_TIMEOUT=" + settings.sessionTimeout().toSeconds() + "s" : arg);
        }
        return args;
    }

    /** One request per initial subject, 8 at a time: every one must be 200 (their sessions are then cached). */
    private static void prime(String gatewayUrl, List<SoakSubjects.Subject> subjects) {
        Semaphore inFlight = new Semaphore(8);
        List<CompletableFuture<Integer>> answers = new ArrayList<>();
        for (SoakSubjects.Subject subject : subjects) {
            inFlight.acquireUninterruptibly();
            HttpRequest request = HttpRequest.newBuilder(URI.create(gatewayUrl + BenchStack.LIMITS))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + subject.token()).GET().build();
            answers.add(Http.client().sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .whenComplete((r, e) -> inFlight.release())
                    .handle((r, e) -> e == null ? r.statusCode() : -1));
        }
        Map<Integer, Long> statuses = new TreeMap<>();
        answers.forEach(a -> statuses.merge(a.join(), 1L, Long::sum));
        if (statuses.size() != 1 || !statuses.containsKey(200)) {
            throw new IllegalStateException("priming the initial subjects: statuses " + statuses);
        }
    }

    /**
     * Warm requests for the primed subjects, 4 at a time (closed loop), so that the JIT has compiled the warm path
     * before the load starts. Not measured; every answer must be 200.
     */
    private static long warmUp(String gatewayUrl, List<SoakSubjects.Subject> subjects, Duration duration)
            throws InterruptedException {
        long end = nanos() + duration.toNanos();
        LongAdder requests = new LongAdder();
        Map<Integer, Long> failures = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread thread = daemon("soak-warmup-" + i, () -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (nanos() < end && !Thread.currentThread().isInterrupted()) {
                    SoakSubjects.Subject subject = subjects.get(random.nextInt(subjects.size()));
                    int status;
                    try {
                        status = Http.get(gatewayUrl + BenchStack.LIMITS, Map.of("Authorization", "Bearer "
                                + subject.token()), Duration.ofSeconds(10)).status();
                    } catch (RuntimeException e) {
                        status = -1;
                    }
                    requests.increment();
                    if (status != 200) {
                        failures.merge(status, 1L, Long::sum);
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join(duration.toMillis() + 15_000);
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("JIT warm-up: answers other than 200: " + failures);
        }
        return requests.sum();
    }

    /** Once a second until the end: arrivals and retirements, the fault cycle, the breaker's state. */
    private void tick(SoakSubjects subjects, SoakFaults faults, long end) {
        while (!Thread.currentThread().isInterrupted()) {
            long now = nanos();
            if (now >= end) {
                return;
            }
            try {
                subjects.tick(now);
                faults.tick(now);
            } catch (RuntimeException e) {
                tickerFailures++;
                log("ticker: %s", e);
            }
            long next = now + 1_000_000_000L;
            try {
                TimeUnit.NANOSECONDS.sleep(Math.max(0, Math.min(next, end) - nanos()));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sampleUntil(long end, long start, SoakSettings s, SoakLoad load, SoakSubjects subjects,
            SoakFaults faults, SoakProbe probe, EmulatorAdmin org, ManagedProcess gateway, SoakReport report,
            Jcmd.ClassHistogram[] histograms) throws Exception {
        long every = s.sampleEvery().toNanos();
        SoakLoad.Counts before = load.counts();
        long[] orgBefore = {0, 0};
        long lastAt = start;
        for (long k = 1; start + k * every <= end; k++) {
            long due = start + k * every;
            TimeUnit.NANOSECONDS.sleep(Math.max(0, due - nanos()));
            if (!gateway.isAlive()) {
                throw new IllegalStateException("the gateway exited; last output:\n" + gateway.tail(40));
            }
            long now = nanos();
            double t = Stats.round((now - start) / 1e9, 1);
            SoakLoad.Counts counts = load.counts();
            SoakLoad.Counts d = counts.minus(before);
            before = counts;
            Histogram latency = load.interval();
            double seconds = (now - lastAt) / 1e9;
            lastAt = now;
            long answered = d.ok() + d.expected503() + d.errorTotal();

            Map<String, Object> row = new LinkedHashMap<>();
            row.put("t_s", t);
            row.put("phase", faults.phase());
            row.put("breaker", faults.breaker());
            row.put("requests", answered);
            row.put("rps", Stats.round(answered / seconds, 1));
            row.put("ok", d.ok());
            row.put("cold_503_expected", d.expected503());
            row.put("errors", d.errorTotal());
            row.put("error_kinds", d.errors().isEmpty() ? "" : d.errors().toString().replace(", ", ";"));
            row.put("p50_ms", ms(latency, 50));
            row.put("p99_ms", ms(latency, 99));
            row.put("max_ms", latency.getTotalCount() == 0 ? Double.NaN : Stats.round(latency.getMaxValue() / 1e3, 2));
            row.put("late", d.late());
            row.put("in_flight", counts.inFlight());
            row.put("active_subjects", subjects.activeCount());
            row.put("cached_subjects", subjects.cachedCount(now));
            SoakProbe.Sample sample = probe.sample();
            row.putAll(sample.values());
            JsonNode c = orgCounters(org);
            long exchanges = c == null ? -1 : c.get("totalExchanges").asLong();
            long tokenRequests = c == null ? -1 : c.get("tokenRequests").asLong();
            row.put("org_exchanges", exchanges - orgBefore[0]);
            row.put("org_token_requests", tokenRequests - orgBefore[1]);
            row.put("org_live_sessions", c == null ? -1 : c.get("liveSessions").asLong());
            orgBefore[0] = exchanges;
            orgBefore[1] = tokenRequests;
            report.add(row);
            if (!d.errors().isEmpty()) {
                errorKindsBySample.put(Double.toString(t), d.errors());
            }
            if (t >= s.warmup().toSeconds()) {
                if (histograms[0] == null) {
                    histograms[0] = sample.histogram();
                }
                histograms[1] = sample.histogram();
            }
            log("t=%5.0fs %-18s breaker %-9s %4.0f rps: %d ok, %d 503 expected, %d errors%s; p99 %.1f ms;"
                    + " live heap %.1f MB (used %.0f MB), %d sessions, %d threads, %d sockets (in %d, org %d);"
                    + " cores: gateway %.2f, machine %.2f",
                    t, faults.phase(), faults.breaker(), answered / seconds, d.ok(), d.expected503(), d.errorTotal(),
                    d.errors().isEmpty() ? "" : " " + d.errors(), (Double) row.get("p99_ms"),
                    ((Number) row.get("heap_live_bytes")).longValue() / 1e6,
                    ((Number) row.get("heap_used_bytes")).longValue() / 1e6, row.get("cached_sessions"),
                    row.get("threads_live"), row.get("socket_fds"), row.get("conns_in"), row.get("conns_org"),
                    (Double) row.get("cpu_gateway"), (Double) row.get("cpu_machine"));
        }
    }

    private static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : Stats.round(h.getValueAtPercentile(percentile) / 1e3, 2);
    }

    /** The org's {@code /__admin/counters} (exchangesBySubject included), or null when it does not answer. */
    private static JsonNode orgCounters(EmulatorAdmin org) {
        try {
            Http.Answer answer = Http.get(org.baseUrl() + "/__admin/counters");
            return answer.status() == 200 ? JsonMapper.builder().build().readTree(answer.body()) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- summary and verdict

    private Map<String, Object> summarise(SoakReport report, SoakLoad load, SoakSubjects subjects, SoakFaults faults,
            EmulatorAdmin org, Jcmd.ClassHistogram[] histograms, long start, long end) {
        SoakSettings s = settings;
        SoakLoad.Counts counts = load.counts();
        double runSeconds = (end - start) / 1e9;
        long answered = counts.ok() + counts.expected503() + counts.errorTotal();
        List<Map<String, Object>> post = report.postWarmup(s.warmup().toSeconds());

        // Exchanges per subject, from the org: one per session lifetime, i.e. one plus one per revocation.
        JsonNode c = orgCounters(org);
        Map<String, Integer> revocations = subjects.revocations();
        long subjectsExchanged = 0;
        long exchanges = 0;
        long maxPlain = 0;
        long maxRevoked = 0;
        long reexchanged = 0;
        List<String> over = new ArrayList<>();
        if (c != null) {
            var fields = c.get("exchangesBySubject").properties();
            for (var e : fields) {
                if (!e.getKey().startsWith(subjects.prefix())) {
                    continue;
                }
                long n = e.getValue().asLong();
                int revoked = revocations.getOrDefault(e.getKey(), 0);
                subjectsExchanged++;
                exchanges += n;
                if (revoked == 0) {
                    maxPlain = Math.max(maxPlain, n);
                } else {
                    maxRevoked = Math.max(maxRevoked, n);
                    if (n > 1) {
                        reexchanged++;
                    }
                }
                if (n > 1 + revoked) {
                    over.add(e.getKey() + "=" + n + (revoked > 0 ? " (revoked " + revoked + ")" : ""));
                }
            }
        }

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("requests_due", counts.due());
        figures.put("requests_issued", counts.issued());
        figures.put("requests_answered", answered);
        figures.put("achieved_rps", Stats.round(answered / runSeconds, 1));
        figures.put("target_rps", s.rate());
        figures.put("ok_200", counts.ok());
        figures.put("cold_503_expected", counts.expected503());
        figures.put("unexpected_errors", counts.errorTotal());
        figures.put("errors_by_kind", counts.errors());
        figures.put("requests_sent_late_over_100ms", counts.late());
        figures.put("max_send_lag_ms", Stats.round(counts.maxLagMs(), 1));
        Histogram all = load.total();
        figures.put("latency_p50_ms", Stats.round(all.getValueAtPercentile(50) / 1e3, 2));
        figures.put("latency_p99_ms", Stats.round(all.getValueAtPercentile(99) / 1e3, 2));
        figures.put("latency_p999_ms", Stats.round(all.getValueAtPercentile(99.9) / 1e3, 2));
        figures.put("latency_max_ms", Stats.round(all.getMaxValue() / 1e3, 2));
        figures.put("subjects_arrived", subjects.arrived());
        figures.put("subjects_with_a_200", subjects.subjectsWithOk());
        figures.put("subjects_exchanged", subjectsExchanged);
        figures.put("exchanges", exchanges);
        figures.put("max_exchanges_per_subject_not_revoked", maxPlain);
        figures.put("max_exchanges_per_revoked_subject", maxRevoked);
        figures.put("sessions_revoked", faults.revoked());
        figures.put("revoked_subjects_exchanged_again", reexchanged);
        figures.put("subjects_over_one_exchange_per_session", over.size());
        figures.put("faults", faults.windows().size());
        figures.put("breaker_transitions", faults.transitions());
        figures.put("arrivals_starved", subjects.starved());
        figures.put("mint_failures", subjects.mintFailures());
        figures.put("ticker_failures", tickerFailures);

        Map<String, Object> series = new LinkedHashMap<>();
        Map<String, Object> checks = new LinkedHashMap<>();
        boolean enough = post.size() >= 3;
        for (SoakReport.Flat flat : SoakReport.FLAT) {
            Map<String, Object> one = SoakReport.series(post, flat.column());
            series.put(flat.column(), one);
            if (!enough) {
                checks.put(flat.column() + " flat", check(false, "fewer than 3 samples after the warm-up"));
                continue;
            }
            Map<String, Object> j = SoakReport.judge(one, flat);
            boolean bytes = flat.column().endsWith("_bytes");
            checks.put(flat.column() + " flat", check(Boolean.TRUE.equals(j.get("pass")), String.format(Locale.ROOT,
                    "last third − first third %s, slope × window %s; tolerance %s",
                    amount(((Number) j.get("growth_thirds")).doubleValue(), bytes),
                    amount(((Number) j.get("growth_slope_over_window")).doubleValue(), bytes),
                    amount(((Number) j.get("tolerance")).doubleValue(), bytes))));
        }
        for (String column : SoakReport.INFO) {
            series.put(column, SoakReport.series(post, column));
        }
        checks.put("no unexpected errors", check(counts.errorTotal() == 0, counts.errorTotal() == 0
                ? "0 errors in " + answered + " answers" : counts.errorTotal() + " errors: " + counts.errors()));
        checks.put("one exchange per subject per session", check(c != null && over.isEmpty(), c == null
                ? "org counters unavailable" : over.isEmpty()
                        ? subjectsExchanged + " subjects, " + exchanges + " exchanges, " + faults.revoked()
                                + " sessions revoked" : over.size() + " subjects: " + over.subList(0,
                                        Math.min(10, over.size()))));
        checks.put("rate held", check(answered >= 0.99 * counts.due() && counts.late() <= counts.due() / 100,
                String.format(Locale.ROOT, "%d of %d requests due answered (%.1f/s over the run, ramp included);"
                        + " %d sent over 100 ms late", answered, counts.due(), answered / runSeconds, counts.late())));
        long opened = faults.transitions().entrySet().stream().filter(e -> e.getKey().endsWith("->open"))
                .mapToLong(Map.Entry::getValue).sum();
        long closed = faults.transitions().entrySet().stream().filter(e -> e.getKey().endsWith("->closed"))
                .mapToLong(Map.Entry::getValue).sum();
        boolean exercised = opened > 0 && closed > 0 && counts.expected503() > 0
                && (faults.revoked() == 0 || reexchanged > 0) && faults.revoked() > 0;
        checks.put("faults exercised", check(exercised, String.format(Locale.ROOT,
                "%d faults; breaker opened %d, closed %d times; %d expected 503s; %d sessions revoked, %d subjects"
                        + " exchanged again", faults.windows().size(), opened, closed, counts.expected503(),
                faults.revoked(), reexchanged)));
        boolean noLeak = SoakReport.FLAT.stream()
                .allMatch(f -> Boolean.TRUE.equals(((Map<?, ?>) checks.get(f.column() + " flat")).get("pass")));
        boolean pass = checks.values().stream().allMatch(v -> Boolean.TRUE.equals(((Map<?, ?>) v).get("pass")));
        Map<String, Object> verdict = new LinkedHashMap<>();
        verdict.put("pass", pass);
        verdict.put("no_leak", noLeak);
        verdict.put("checks", checks);
        verdict.put("rule", "after the warm-up: mean of the last third of the samples minus mean of the first third,"
                + " and the least-squares slope times the window, each within the tolerance: live heap max(5 %,"
                + " 4 MiB), threads max(10 %, 4), sockets and connections max(25 %, 4); no unexpected error; no"
                + " subject exchanged more than once per session (1 + its revocations); the rate held; the breaker"
                + " opened and closed, expected 503s seen and revoked sessions replaced");

        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("verdict", verdict);
        summary.put("figures", figures);
        summary.put("series", series);
        if (histograms[0] != null && histograms[1] != null) {
            summary.put("live_heap_growth_by_class", SoakReport.growth(histograms[0], histograms[1], 12));
        }
        summary.put("error_kinds_by_sample", errorKindsBySample);
        List<Map<String, Object>> windows = new ArrayList<>();
        for (SoakFaults.Window w : faults.windows()) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("fault", w.fault());
            one.put("from_s", Stats.round((w.start() - start) / 1e9, 1));
            one.put("to_s", w.end() == Long.MAX_VALUE ? null : Stats.round((w.end() - start) / 1e9, 1));
            windows.add(one);
        }
        summary.put("fault_windows", windows);
        summary.put("setup", setup(s, runSeconds));
        return summary;
    }

    private Map<String, Object> setup(SoakSettings s, double runSeconds) {
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("command", opts.getOrDefault("command", "load-tests/soak.sh"));
        setup.put("finished", Instant.now().toString());
        setup.put("wall_seconds", Math.round((nanos() - started) / 1e9));
        setup.put("load", String.format(Locale.ROOT, "%.0f s of `GET %s` through the gateway at %d requests/s"
                + " (open model, ramped up over the first %d s, at most %d in flight); %d new subjects/s, each active"
                + " %d s (about %d active);"
                + " session timeout %d s (org and gateway); token endpoint %s in turn for %d s every %d s, then"
                + " NONE; %d sessions revoked at the org per cycle; exchange timeout %d s, breaker wait %d s.",
                runSeconds, BenchStack.LIMITS, s.rate(), s.ramp().toSeconds(), s.maxInFlight(), s.newPerSecond(),
                s.subjectLife().toSeconds(),
                s.population(), s.sessionTimeout().toSeconds(), String.join("/", s.faults()),
                s.faultLength().toSeconds(), s.cycle().toSeconds(), s.revokePerCycle(),
                s.exchangeTimeout().toSeconds(), s.breakerWait().toSeconds()));
        setup.put("seconds", runSeconds);
        setup.put("rate", s.rate());
        setup.put("new_per_second", s.newPerSecond());
        setup.put("subject_life_seconds", s.subjectLife().toSeconds());
        setup.put("session_timeout_seconds", s.sessionTimeout().toSeconds());
        setup.put("token_ttl_seconds", s.tokenTtl().toSeconds());
        setup.put("ramp_seconds", s.ramp().toSeconds());
        setup.put("warmup_seconds", s.warmup().toSeconds());
        setup.put("sample_seconds", s.sampleEvery().toSeconds());
        setup.put("cycle_seconds", s.cycle().toSeconds());
        setup.put("fault_seconds", s.faultLength().toSeconds());
        setup.put("faults", s.faults());
        setup.put("grace_seconds", s.grace().toSeconds());
        setup.put("jvm", BenchStack.GATEWAY_JVM);
        setup.put("gateway_jar", jarInfo("gateway-jar"));
        setup.put("emulator_jar", jarInfo("emulator-jar"));
        setup.put("nproc", Runtime.getRuntime().availableProcessors());
        setup.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        return setup;
    }

    private String jarInfo(String option) {
        Path jar = Path.of(opts.getOrDefault(option, ""));
        try {
            return jar + " (modified " + Files.getLastModifiedTime(jar) + ")";
        } catch (IOException e) {
            return jar.toString();
        }
    }

    private static Map<String, Object> check(boolean pass, String detail) {
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("pass", pass);
        check.put("detail", detail);
        return check;
    }

    private static String amount(double value, boolean bytes) {
        return bytes ? String.format(Locale.ROOT, "%+.2f MB", value / 1e6) : String.format(Locale.ROOT, "%+.1f", value);
    }

    // ---------------------------------------------------------------- processes

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
        String value = opts.get(option);
        if (value == null) {
            throw new IllegalArgumentException("--" + option + "=... is required");
        }
        Path jar = Path.of(value);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("--" + option + ": " + jar + " does not exist (build first)");
        }
        return jar;
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    private void log(String format, Object... args) {
        Object[] all = new Object[args.length + 1];
        all[0] = (nanos() - started) / 1e9;
        System.arraycopy(args, 0, all, 1, args.length);
        System.out.printf(Locale.ROOT, "[soak %5.1fs] " + format + "%n", all);
        System.out.flush();
    }
}
