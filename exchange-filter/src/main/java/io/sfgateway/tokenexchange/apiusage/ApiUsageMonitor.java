package io.sfgateway.tokenexchange.apiusage;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sfgateway.tokenexchange.ExchangeFailure;
import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.routing.UpstreamAnswers;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;

/**
 * One registration's view of its org's API usage, from the {@code Sforce-Limit-Info} header of
 * the answers that pass back through the gateway (no call of its own):
 * <ul>
 *   <li>gauges {@value #USAGE_GAUGE} and {@value #LIMIT_GAUGE} (tags {@code registration}, {@code org}:
 *       the org id from the session's identity URL, {@code unknown} when Salesforce sent none);</li>
 *   <li>one WARN per {@code warn-at} share as usage crosses it upwards ({@link UsageWarnings});</li>
 *   <li>with {@code shed-above} set: once an answer reports usage above it, new requests are refused
 *       ({@link #admit()} false; the filter answers 429 with {@code Retry-After}) until an answer
 *       reports it back below;</li>
 *   <li>{@value #MALFORMED_COUNTER}: answers whose header could not be read (tag {@code registration});
 *       nothing else happens to them;</li>
 *   <li>{@value #EXCEEDED_COUNTER}: Salesforce's own {@code 403 REQUEST_LIMIT_EXCEEDED} (tags
 *       {@code registration}, {@code org}), passed through untouched.</li>
 * </ul>
 *
 * <p><b>Why shedding expires.</b> While requests are shed no answer arrives to lower the figure,
 * so a shed that waited for one would last for ever. Instead, once per {@code retry-after} one
 * request is let through as a probe (like a circuit breaker's half-open call): its answer carries
 * a fresh figure that either ends the shedding or keeps it for another period. The cost is at most
 * one API call per period, far below anything that matters against a daily allocation.
 *
 * <p><b>Recognising {@code REQUEST_LIMIT_EXCEEDED}.</b> The answer's body streams back to the caller
 * unread, so the gateway cannot look for the error code in it. A 403 counts as the limit answer when
 * its own {@code Sforce-Limit-Info} (or, absent that, the last figure seen for the org) shows the
 * allocation spent: a 403 for any other reason ({@code API_CURRENTLY_DISABLED},
 * {@code INSUFFICIENT_ACCESS}) comes while allocation is left.
 *
 * <p>A registration normally reaches one org (its login URL is a My Domain or a site); when its
 * sessions belong to several, each org has its own gauges and WARNs, and shedding follows the
 * latest answer, whichever org sent it.
 */
public final class ApiUsageMonitor implements UpstreamAnswers {

    public static final String USAGE_GAUGE = "salesforce.api.usage";
    public static final String LIMIT_GAUGE = "salesforce.api.limit";
    /** 1 while the registration sheds new requests, else 0 (tag {@code registration}). */
    public static final String SHEDDING_GAUGE = "salesforce.api.usage.shedding";
    public static final String MALFORMED_COUNTER = "salesforce.api.usage.malformed";
    public static final String EXCEEDED_COUNTER = "salesforce.api.limit.exceeded";
    /** The {@code org} tag when Salesforce sent no org id, or past {@link #MAX_ORGS}. */
    public static final String UNKNOWN_ORG = "unknown";
    /** Orgs tracked per registration: the tag's values stay bounded whatever a token endpoint sends. */
    static final int MAX_ORGS = 16;

    private final String registration;
    private final ApiUsagePolicy policy;
    private final MeterRegistry registry;
    private final Ticker ticker;
    private final Map<String, OrgUsage> orgs = new ConcurrentHashMap<>();
    private final Counter malformed;
    private final AtomicBoolean shedding = new AtomicBoolean();
    private final AtomicLong nextProbeAt = new AtomicLong();
    private final long retryAfterNanos;
    private final ExchangeFailure shed;

    public ApiUsageMonitor(String registration, ApiUsagePolicy policy, MeterRegistry registry, Ticker ticker) {
        this.registration = registration;
        this.policy = policy;
        this.registry = registry;
        this.ticker = ticker;
        this.retryAfterNanos = policy.retryAfter().toNanos();
        long retryAfterSeconds = Math.max(1, policy.retryAfter().toSeconds());
        // One instance, thrown to every shed request: it has no stack trace and nothing request-specific.
        this.shed = new ExchangeFailure(ExchangeFailure.Kind.API_LIMIT,
                "the org's API usage is above api-usage.shed-above", retryAfterSeconds);
        this.malformed = Counter.builder(MALFORMED_COUNTER).tag("registration", registration)
                .description("Salesforce answers whose Sforce-Limit-Info header could not be read")
                .register(registry);
        Gauge.builder(SHEDDING_GAUGE, shedding, on -> on.get() ? 1 : 0).tag("registration", registration)
                .description("1 while new requests are refused because the org's API usage is above shed-above")
                .strongReference(true)
                .register(registry);
    }

    /**
     * Whether a new request may go on: always, unless shedding; then once per {@code retry-after}
     * (the probe). One volatile read when not shedding.
     */
    public boolean admit() {
        if (!shedding.get()) {
            return true;
        }
        long now = ticker.read();
        long next = nextProbeAt.get();
        return now - next >= 0 && nextProbeAt.compareAndSet(next, now + retryAfterNanos);
    }

    /** What a shed request is refused with: {@link ExchangeFailure.Kind#API_LIMIT}, with its {@code Retry-After}. */
    public ExchangeFailure shed() {
        return shed;
    }

    public boolean shedding() {
        return shedding.get();
    }

    @Override
    public void answered(SalesforceSession session, ServerHttpResponse response) {
        String header = response.getHeaders().getFirst(SforceLimitInfo.HEADER);
        HttpStatusCode status = response.getStatusCode();
        boolean forbidden = status != null && status.value() == 403;
        if (header == null) {
            if (forbidden) {
                OrgUsage org = orgs.get(orgOf(session));
                if (org != null && org.spent()) {
                    org.exceeded.increment();
                }
            }
            return; // nothing else to do, nothing allocated
        }
        SforceLimitInfo.Reading reading = SforceLimitInfo.parse(header);
        if (reading == SforceLimitInfo.MALFORMED) {
            malformed.increment();
            return;
        }
        OrgUsage org = orgUsage(orgOf(session));
        org.record(reading);
        if (forbidden && reading.used() >= reading.limit()) {
            org.exceeded.increment();
        }
        if (policy.shedAbove() != null) {
            judgeShedding(org.orgId, reading);
        }
    }

    /**
     * Starts shedding above {@code shed-above}; stops once a reading is back at least one point of
     * the limit under it, so answers of requests in flight when it started (reporting a call or two
     * less) do not flap it.
     */
    private void judgeShedding(String orgId, SforceLimitInfo.Reading reading) {
        double share = reading.share();
        double above = policy.shedAbove();
        if (share > above) {
            if (shedding.compareAndSet(false, true)) {
                nextProbeAt.set(ticker.read() + retryAfterNanos);
                UsageWarnings.log.warn("Salesforce org {} (registration '{}') has used {} of {} API requests,"
                        + " above api-usage.shed-above {}: new requests are answered 429 (one every {} s goes"
                        + " through to read the usage again)", orgId, registration, reading.used(), reading.limit(),
                        UsageWarnings.percent(above), policy.retryAfter().toSeconds());
            }
        } else if (share <= above - UsageWarnings.HYSTERESIS && shedding.compareAndSet(true, false)) {
            UsageWarnings.log.info("Salesforce org {} (registration '{}') is back at {} of {} API requests:"
                    + " no longer shedding", orgId, registration, reading.used(), reading.limit());
        }
    }

    private static String orgOf(SalesforceSession session) {
        String orgId = session.orgId();
        return orgId == null || orgId.isEmpty() ? UNKNOWN_ORG : orgId;
    }

    private OrgUsage orgUsage(String orgId) {
        OrgUsage known = orgs.get(orgId);
        if (known != null) {
            return known;
        }
        String key = orgs.size() >= MAX_ORGS ? UNKNOWN_ORG : orgId;
        return orgs.computeIfAbsent(key, id -> new OrgUsage(id, this));
    }

    /** One org's figures, meters and WARN state. */
    private static final class OrgUsage {

        final String orgId;
        final AtomicLong used = new AtomicLong();
        final AtomicLong limit = new AtomicLong();
        final Counter exceeded;
        final UsageWarnings warnings;

        OrgUsage(String orgId, ApiUsageMonitor monitor) {
            this.orgId = orgId;
            List<io.micrometer.core.instrument.Tag> tags = List.of(
                    io.micrometer.core.instrument.Tag.of("registration", monitor.registration),
                    io.micrometer.core.instrument.Tag.of("org", orgId));
            Gauge.builder(USAGE_GAUGE, used, AtomicLong::get).tags(tags).strongReference(true)
                    .description("API requests the Salesforce org used in its 24-hour window (Sforce-Limit-Info)")
                    .register(monitor.registry);
            Gauge.builder(LIMIT_GAUGE, limit, AtomicLong::get).tags(tags).strongReference(true)
                    .description("API requests the Salesforce org may make in 24 hours (Sforce-Limit-Info)")
                    .register(monitor.registry);
            this.exceeded = Counter.builder(EXCEEDED_COUNTER).tags(tags)
                    .description("Salesforce answers 403 REQUEST_LIMIT_EXCEEDED, passed through to the caller")
                    .register(monitor.registry);
            this.warnings = new UsageWarnings(monitor.registration, orgId, monitor.policy.warnAt());
        }

        void record(SforceLimitInfo.Reading reading) {
            used.set(reading.used());
            limit.set(reading.limit());
            warnings.judge(reading);
        }

        boolean spent() {
            long max = limit.get();
            return max > 0 && used.get() >= max;
        }
    }
}
