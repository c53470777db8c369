package io.sfgateway.emulator;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/** What an emulated org has seen since start or the last {@link SalesforceEmulator#reset()}. */
public final class EmulatorCounters {

    private final ConcurrentHashMap<String, LongAdder> exchangesBySubject = new ConcurrentHashMap<>();
    private final LongAdder totalExchanges = new LongAdder();
    private final LongAdder tokenRequests = new LongAdder();
    private final LongAdder restCalls = new LongAdder();
    private final AtomicReference<Map<String, String>> lastTokenForm = new AtomicReference<>(Map.of());
    private final AtomicReference<RecordedRequest> lastRestRequest = new AtomicReference<>();

    EmulatorCounters() {
    }

    /** Successful exchanges (sessions issued) for that subject. */
    public long exchanges(String subject) {
        LongAdder adder = exchangesBySubject.get(subject);
        return adder == null ? 0 : adder.sum();
    }

    /** Successful exchanges per subject, sorted by subject (a snapshot). */
    public Map<String, Long> exchangesBySubject() {
        Map<String, Long> snapshot = new TreeMap<>();
        exchangesBySubject.forEach((subject, adder) -> snapshot.put(subject, adder.sum()));
        return snapshot;
    }

    /** The highest per-subject exchange count (0 when none): 1 means "one exchange per subject". */
    public long maxExchangesPerSubject() {
        return exchangesBySubject.values().stream().mapToLong(LongAdder::sum).max().orElse(0);
    }

    /** Successful exchanges. */
    public long totalExchanges() {
        return totalExchanges.sum();
    }

    /** Every POST to the token endpoint, whatever the outcome. */
    public long tokenRequests() {
        return tokenRequests.sum();
    }

    /** Every REST request, 401s included. */
    public long restCalls() {
        return restCalls.sum();
    }

    /** The last form received at the token endpoint (test-only view: it holds the token and the secret). */
    public Map<String, String> lastTokenForm() {
        return lastTokenForm.get();
    }

    /** The last REST request, or {@code null}. */
    public RecordedRequest lastRestRequest() {
        return lastRestRequest.get();
    }

    void tokenRequest() {
        tokenRequests.increment();
    }

    void tokenForm(Map<String, String> form) {
        lastTokenForm.set(Map.copyOf(form));
    }

    void exchange(String subject) {
        exchangesBySubject.computeIfAbsent(subject, s -> new LongAdder()).increment();
        totalExchanges.increment();
    }

    void restCall(RecordedRequest request) {
        restCalls.increment();
        lastRestRequest.set(request);
    }

    void reset() {
        exchangesBySubject.clear();
        totalExchanges.reset();
        tokenRequests.reset();
        restCalls.reset();
        lastTokenForm.set(Map.of());
        lastRestRequest.set(null);
    }
}
