package io.sfgateway.loadtests.bench;

import io.sfgateway.loadtests.support.EmulatorAdmin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The churning population of the soak: subjects arrive at a fixed rate, each stays active (is picked for requests)
 * for the subject life, then retires. Their IdP tokens are minted by the emulator in the background, a few seconds
 * ahead, into a bounded queue. Each subject knows whether the gateway holds a session for it, as far as the client
 * can tell: from the first 200 answered after its last revocation.
 */
final class SoakSubjects {

    /** One caller. Times are {@link Soak#nanos()}. */
    static final class Subject {

        private final String name;
        private final String token;
        private volatile long retireAt;
        /** When a 200 showed that the gateway had a session for it (0: not yet, or revoked since). */
        private volatile long sessionSince;
        private volatile long revokedAt;

        Subject(String name, String token) {
            this.name = name;
            this.token = token;
        }

        String name() {
            return name;
        }

        String token() {
            return token;
        }

        long retireAt() {
            return retireAt;
        }

        /** Whether a request scheduled at {@code scheduled} should have found the session cached. */
        boolean cachedAt(long scheduled) {
            long since = sessionSince;
            return since != 0 && scheduled > since;
        }

        /** A 200 for a request scheduled at {@code scheduled}, received at {@code done}. */
        void ok(long scheduled, long done) {
            if (sessionSince == 0 && scheduled > revokedAt) {
                sessionSince = done;
            }
        }

        void revoked(long now) {
            revokedAt = now;
            sessionSince = 0;
        }

        @Override
        public String toString() {
            return name; // never the token
        }
    }

    private final EmulatorAdmin org;
    private final SoakSettings settings;
    private final String prefix;
    private final BlockingQueue<Subject> ready;
    private final AtomicLong minted = new AtomicLong();
    private final LongAdder mintFailures = new LongAdder();
    private final LongAdder starved = new LongAdder();
    private final LongAdder arrived = new LongAdder();
    private final LongAdder okSubjects = new LongAdder();
    /** Revocations per subject name (only subjects the org actually revoked a session of). */
    private final Map<String, Integer> revocations = new ConcurrentHashMap<>();
    private final Map<String, Boolean> everOk = new ConcurrentHashMap<>();
    /** Written by the ticker thread only, read by the pacer. */
    private volatile Subject[] active = new Subject[0];
    private double owed;
    private long lastTick;

    SoakSubjects(EmulatorAdmin org, SoakSettings settings, String prefix) {
        this.org = org;
        this.settings = settings;
        this.prefix = prefix;
        this.ready = new ArrayBlockingQueue<>(Math.max(20, settings.newPerSecond() * 10));
    }

    String prefix() {
        return prefix;
    }

    /** Mints the initial population (before the gateway is primed with them). */
    List<Subject> mintInitial() {
        return mint(settings.population());
    }

    /**
     * Makes the initial population active, each known to have a session (they were primed at {@code primed}); they
     * retire one after the other over one subject life from {@code start}, so arrivals and retirements balance from
     * the start, but none later than one subject life after it was primed, so that no session outlives the
     * refresh-ahead point while its subject still calls.
     */
    void activate(List<Subject> initial, long primed, long start) {
        long life = settings.subjectLife().toNanos();
        long now = Soak.nanos();
        for (int i = 0; i < initial.size(); i++) {
            Subject subject = initial.get(i);
            subject.retireAt = Math.min(start + life * (i + 1) / initial.size(), primed + life);
            subject.ok(1, now);
            recordOk(subject);
        }
        active = initial.toArray(new Subject[0]);
        arrived.add(initial.size());
        lastTick = start;
    }

    /** Keeps the queue of minted subjects full until {@code end}; run on its own thread. */
    void mintAhead(long end) {
        while (Soak.nanos() < end && !Thread.currentThread().isInterrupted()) {
            int room = ready.remainingCapacity();
            if (room < Math.max(1, settings.newPerSecond())) {
                sleep(200);
                continue;
            }
            try {
                for (Subject subject : mint(Math.min(room, Math.max(1, settings.newPerSecond())))) {
                    if (!ready.offer(subject)) {
                        break;
                    }
                }
            } catch (RuntimeException e) {
                mintFailures.increment();
                sleep(1000);
            }
        }
    }

    private List<Subject> mint(int n) {
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add(String.format("%s%07d", prefix, minted.getAndIncrement()));
        }
        List<String> tokens = org.mintAll(names, settings.tokenTtl());
        List<Subject> subjects = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            subjects.add(new Subject(names.get(i), tokens.get(i)));
        }
        return subjects;
    }

    /** Arrivals owed since the last tick join; subjects whose life is over retire. Ticker thread only. */
    void tick(long now) {
        owed += settings.newPerSecond() * (now - lastTick) / 1e9;
        lastTick = now;
        List<Subject> next = new ArrayList<>(active.length + (int) owed + 1);
        for (Subject subject : active) {
            if (subject.retireAt > now) {
                next.add(subject);
            }
        }
        long life = settings.subjectLife().toNanos();
        while (owed >= 1) {
            Subject subject = ready.poll();
            if (subject == null) {
                starved.add((long) owed);
                owed -= Math.floor(owed);
                break;
            }
            subject.retireAt = now + life;
            next.add(subject);
            arrived.increment();
            owed -= 1;
        }
        active = next.toArray(new Subject[0]);
    }

    /** A random active subject, or {@code null} when there is none. */
    Subject pick() {
        Subject[] subjects = active;
        return subjects.length == 0 ? null : subjects[ThreadLocalRandom.current().nextInt(subjects.length)];
    }

    /** Up to {@code n} active subjects with a cached session and at least {@code remaining} of life left. */
    List<Subject> revocable(int n, long now, Duration remaining) {
        List<Subject> candidates = new ArrayList<>();
        for (Subject subject : active) {
            if (subject.cachedAt(now) && subject.retireAt - now > remaining.toNanos()) {
                candidates.add(subject);
            }
        }
        Collections.shuffle(candidates);
        return candidates.subList(0, Math.min(n, candidates.size()));
    }

    void recordRevocation(Subject subject) {
        revocations.merge(subject.name(), 1, Integer::sum);
    }

    void recordOk(Subject subject) {
        if (everOk.putIfAbsent(subject.name(), Boolean.TRUE) == null) {
            okSubjects.increment();
        }
    }

    Map<String, Integer> revocations() {
        return revocations;
    }

    int activeCount() {
        return active.length;
    }

    /** Active subjects the client believes have a cached session right now. */
    int cachedCount(long now) {
        int n = 0;
        for (Subject subject : active) {
            if (subject.cachedAt(now)) {
                n++;
            }
        }
        return n;
    }

    long arrived() {
        return arrived.sum();
    }

    long subjectsWithOk() {
        return okSubjects.sum();
    }

    long starved() {
        return starved.sum();
    }

    long mintFailures() {
        return mintFailures.sum();
    }

    int readyCount() {
        return ready.size();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
