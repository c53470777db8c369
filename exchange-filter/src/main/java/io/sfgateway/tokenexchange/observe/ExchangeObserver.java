package io.sfgateway.tokenexchange.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.ObservationRegistry;
import io.sfgateway.tokenexchange.ExchangeFailure;
import io.sfgateway.tokenexchange.RefusalEvents;
import io.sfgateway.tokenexchange.RefusalReason;
import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.session.SessionEvents;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The metrics and the audit line of the README's Operations section.
 * <ul>
 *   <li>{@code salesforce.token.exchange}: timer, tags {@code registration}, {@code outcome} =
 *       success | rejected | handler_rejected (the Apex handler refused the subject token) |
 *       not_approved (the user is not approved for the app) | ip_restricted (outside the profile's Login IP
 *       Ranges or login hours) | error | timeout | circuit_open;</li>
 *   <li>{@code salesforce.token.exchange.coalesced}: requests that joined an exchange in flight;</li>
 *   <li>{@code salesforce.token.exchange.refused}: requests answered with an error, tags
 *       {@code registration}, {@code reason};</li>
 *   <li>{@code cache.gets}: tags {@code cache=salesforce.sessions}, {@code registration},
 *       {@code result=hit|miss};</li>
 *   <li>one audit line per exchange on logger {@value #AUDIT_LOGGER}, its fields as SLF4J key-values;</li>
 *   <li>the registry of the library's {@link ObservedCall observations}.</li>
 * </ul>
 * Tags and the audit line carry registration names, subject keys (issuer and subject, or the
 * token's SHA-256), ids and outcomes: never a token, secret or session id.
 */
public final class ExchangeObserver implements SessionEvents, RefusalEvents {

    public static final String AUDIT_LOGGER = "salesforce.token-exchange.audit";
    public static final String EXCHANGE_TIMER = "salesforce.token.exchange";
    public static final String COALESCED_COUNTER = "salesforce.token.exchange.coalesced";
    /** Requests the filter answered with an error, tags {@code registration} and {@code reason} ({@link RefusalReason}). */
    public static final String REFUSED_COUNTER = "salesforce.token.exchange.refused";
    public static final String CACHE_GETS = "cache.gets";
    public static final String CACHE_NAME = "salesforce.sessions";

    private static final Logger audit = LoggerFactory.getLogger(AUDIT_LOGGER);
    /** The audit line's message; its fields are key-values. */
    public static final String AUDIT_MESSAGE = "token exchange";

    private final MeterRegistry registry;
    private final Clock clock;
    private final ObservationRegistry observations;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    /** Each registration's cache counters, so a lookup costs one map read (it happens on every request). */
    private final Map<String, CacheCounters> cacheCounters = new ConcurrentHashMap<>();
    private final Map<String, Counter> refusals = new ConcurrentHashMap<>();

    /** @param clock the audit line's {@code time} */
    public ExchangeObserver(MeterRegistry registry, Clock clock) {
        this(registry, clock, ObservationRegistry.NOOP);
    }

    /** @param observations where the library's observations ({@link ObservedCall}) go: spans when the host traces */
    public ExchangeObserver(MeterRegistry registry, Clock clock, ObservationRegistry observations) {
        this.registry = registry;
        this.clock = clock;
        this.observations = observations;
    }

    /** The registry of the library's observations ({@link ObservationRegistry#NOOP} when the host has none). */
    public ObservationRegistry observations() {
        return observations;
    }

    /** Records one exchange: its timer and its audit line. */
    @Override
    public void exchanged(String registration, String handler, String subjectKey, long nanos,
            SalesforceSession session, ExchangeFailure failure) {
        String outcome = ExchangeFailure.outcome(failure);
        timers.computeIfAbsent(registration + '|' + outcome, k -> Timer.builder(EXCHANGE_TIMER)
                        .description("Token exchanges with Salesforce")
                        .tag("registration", registration)
                        .tag("outcome", outcome)
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
        if (audit.isInfoEnabled()) {
            audit(registration, handler, subjectKey, nanos, session, failure, outcome);
        }
    }

    /**
     * The audit line: SLF4J key-values on a fixed message, so an encoder prints them as fields
     * (Logback's {@code %kvp}, or a JSON encoder) and nothing has to parse a message. Absent
     * values (the ids of a failed exchange, a registration without handler) are left out.
     */
    private void audit(String registration, String handler, String subjectKey, long nanos,
            SalesforceSession session, ExchangeFailure failure, String outcome) {
        LoggingEventBuilder line = audit.atInfo()
                .addKeyValue("time", clock.instant().toString())
                .addKeyValue("registration", registration)
                .addKeyValue("subject", subjectKey)
                .addKeyValue("outcome", outcome)
                .addKeyValue("latency_ms", Math.round(nanos / 10_000.0) / 100.0);
        if (session != null) {
            line = line.addKeyValue("org_id", session.orgId()).addKeyValue("user_id", session.userId());
        }
        if (handler != null) {
            line = line.addKeyValue("handler", handler);
        }
        if (failure != null) {
            line = line.addKeyValue("failure", failure.kind().name().toLowerCase(java.util.Locale.ROOT))
                    .addKeyValue("detail", failure.detail());
        }
        line.log(AUDIT_MESSAGE);
    }

    /** Counts one request answered with an error; the reason is from a fixed set, never request data. */
    @Override
    public void refused(String registration, RefusalReason reason) {
        String key = registration + '|' + reason.tag();
        Counter counter = refusals.get(key);
        if (counter == null) {
            counter = refusals.computeIfAbsent(key, k -> Counter.builder(REFUSED_COUNTER)
                    .description("Requests the token exchange filter refused, by reason")
                    .tag("registration", registration)
                    .tag("reason", reason.tag())
                    .register(registry));
        }
        counter.increment();
    }

    @Override
    public void hit(String registration) {
        countersOf(registration).hits.increment();
    }

    @Override
    public void miss(String registration) {
        countersOf(registration).misses.increment();
    }

    @Override
    public void coalesced(String registration) {
        countersOf(registration).coalesced.increment();
    }

    private CacheCounters countersOf(String registration) {
        CacheCounters counters = cacheCounters.get(registration);
        return counters != null ? counters
                : cacheCounters.computeIfAbsent(registration, name -> new CacheCounters(registry, name));
    }

    /** {@code cache.gets} by result and {@code salesforce.token.exchange.coalesced}, for one registration. */
    private static final class CacheCounters {

        final Counter hits;
        final Counter misses;
        final Counter coalesced;

        CacheCounters(MeterRegistry registry, String registration) {
            this.hits = cacheGets(registry, registration, "hit");
            this.misses = cacheGets(registry, registration, "miss");
            this.coalesced = Counter.builder(COALESCED_COUNTER).tag("registration", registration)
                    .description("Requests that joined a token exchange already in flight")
                    .register(registry);
        }

        private static Counter cacheGets(MeterRegistry registry, String registration, String result) {
            return Counter.builder(CACHE_GETS).tag("registration", registration)
                    .tag("cache", CACHE_NAME).tag("result", result)
                    .description("Session cache lookups by result")
                    .register(registry);
        }
    }
}
