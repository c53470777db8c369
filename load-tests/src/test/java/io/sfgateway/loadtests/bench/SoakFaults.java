package io.sfgateway.loadtests.bench;

import io.sfgateway.loadtests.support.ActuatorMetrics;
import io.sfgateway.loadtests.support.EmulatorAdmin;
import io.sfgateway.loadtests.support.GatewayArgs;
import io.sfgateway.loadtests.support.Http;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The token endpoint flapping: on each cycle, calm, then a fault ({@code POST /__admin/fault?token=HANG},
 * {@code UNAVAILABLE}, {@code SERVER_ERROR} in turn) for a few seconds, then {@code NONE} again; in the calm part of
 * each cycle, a few subjects' sessions revoked at the org ({@code POST /__admin/revoke?subject=...}), so that the
 * gateway meets a 401, exchanges again and replays. Remembers when each fault was on, to tell an expected 503 (a
 * cold subject while the endpoint is down or the breaker still open) from an unexpected one; polls the breaker's
 * state once a second and counts its transitions.
 */
final class SoakFaults {

    /** One fault: when it was set and cleared ({@link Soak#nanos()}; {@code end} is MAX while on). */
    record Window(String fault, long start, long end) {
    }

    private final EmulatorAdmin org;
    private final SoakSettings settings;
    private final SoakSubjects subjects;
    private final ActuatorMetrics metrics;
    private final long start;
    private final List<Window> windows = new CopyOnWriteArrayList<>();
    private final Map<String, Long> transitions = new ConcurrentSkipListMap<>();
    private final AtomicLong revoked = new AtomicLong();
    private final AtomicLong revokeCalls = new AtomicLong();
    private long lastCycle = -1;
    private boolean faultOn;
    private boolean revokedThisCycle;
    private volatile String breaker = "unknown";
    private volatile String phase = "calm";

    SoakFaults(EmulatorAdmin org, SoakSettings settings, SoakSubjects subjects, String managementUrl, long start) {
        this.org = org;
        this.settings = settings;
        this.subjects = subjects;
        this.metrics = new ActuatorMetrics(managementUrl);
        this.start = start;
    }

    /** Called about once a second by the ticker thread: switches the fault, revokes, polls the breaker. */
    void tick(long now) {
        long elapsed = now - start;
        long cycle = elapsed / settings.cycle().toNanos();
        long offset = elapsed % settings.cycle().toNanos();
        if (cycle != lastCycle) {
            lastCycle = cycle;
            revokedThisCycle = false;
        }
        // No fault while the rate is still ramping up.
        boolean due = elapsed >= settings.ramp().toNanos() && offset >= settings.faultOffset().toNanos()
                && offset < settings.faultOffset().plus(settings.faultLength()).toNanos();
        if (due && !faultOn) {
            String fault = settings.faults().get((int) (cycle % settings.faults().size()));
            windows.add(new Window(fault, Soak.nanos(), Long.MAX_VALUE));
            org.fault(fault);
            faultOn = true;
            phase = "fault:" + fault;
        } else if (!due && faultOn) {
            clear();
        } else if (!faultOn && !revokedThisCycle && offset >= settings.revokeOffset().toNanos()
                && offset < settings.faultOffset().toNanos()) {
            revokedThisCycle = true;
            revoke(now);
        }
        if (!faultOn) {
            phase = inGrace(now) ? "recovering" : "calm";
        }
        pollBreaker();
    }

    /** Sets the token endpoint back to NONE if a fault is on (also at the end of the run). */
    void clear() {
        if (!faultOn) {
            return;
        }
        org.fault("NONE");
        int last = windows.size() - 1;
        Window window = windows.get(last);
        windows.set(last, new Window(window.fault(), window.start(), Soak.nanos()));
        faultOn = false;
    }

    private void revoke(long now) {
        List<SoakSubjects.Subject> chosen = subjects.revocable(settings.revokePerCycle(), now, Duration.ofSeconds(10));
        for (SoakSubjects.Subject subject : chosen) {
            // Marked first: a 200 for a request scheduled before now says nothing about the new session.
            subject.revoked(Soak.nanos());
            revokeCalls.incrementAndGet();
            Http.Answer answer = Http.post(org.baseUrl() + "/__admin/revoke?subject=" + Http.encode(subject.name()));
            Matcher n = Pattern.compile("\"revoked\"\\s*:\\s*(\\d+)").matcher(answer.body());
            if (answer.status() == 200 && n.find() && Integer.parseInt(n.group(1)) > 0) {
                subjects.recordRevocation(subject);
                revoked.incrementAndGet();
            }
        }
    }

    private void pollBreaker() {
        String state;
        try {
            state = metrics.breakerState(GatewayArgs.BREAKER);
        } catch (RuntimeException e) {
            state = "unreachable";
        }
        String before = breaker;
        if (!state.equals(before) && !before.equals("unknown")) {
            transitions.merge(before + "->" + state, 1L, Long::sum);
        }
        breaker = state;
    }

    /** Whether a 503 for a cold subject, scheduled at {@code scheduled}, is expected: a fault on, or just over. */
    boolean coldOutageAt(long scheduled) {
        long slack = Duration.ofSeconds(1).toNanos();
        long grace = settings.grace().toNanos();
        for (Window window : windows) {
            long end = window.end() == Long.MAX_VALUE ? Long.MAX_VALUE : window.end() + grace;
            if (scheduled >= window.start() - slack && scheduled <= end) {
                return true;
            }
        }
        return false;
    }

    private boolean inGrace(long now) {
        return coldOutageAt(now);
    }

    String breaker() {
        return breaker;
    }

    String phase() {
        return phase;
    }

    List<Window> windows() {
        return new ArrayList<>(windows);
    }

    /** Breaker transitions seen by polling once a second (short visits may be missed). Ticker thread. */
    Map<String, Long> transitions() {
        return new LinkedHashMap<>(transitions);
    }

    long revoked() {
        return revoked.get();
    }

    long revokeCalls() {
        return revokeCalls.get();
    }
}
