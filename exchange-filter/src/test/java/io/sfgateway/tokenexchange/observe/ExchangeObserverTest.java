package io.sfgateway.tokenexchange.observe;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sfgateway.tokenexchange.ExchangeFailure;
import io.sfgateway.tokenexchange.ExchangeFailure.Kind;
import io.sfgateway.tokenexchange.RefusalReason;
import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.SessionGrant;
import java.time.Clock;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/** The observer's metrics by count and its audit line as SLF4J key-values. */
class ExchangeObserverTest {

    private static final SalesforceSession SESSION = new SalesforceSession("00D!secret-session",
            SessionGrant.of(URI.create("https://acme.my.salesforce.com"),
            "00D000000000001AAA", "api"), "005000000000001AAA", 0L);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ExchangeObserver observer = new ExchangeObserver(registry, Clock.systemUTC());
    private final Logger audit = (Logger) LoggerFactory.getLogger(ExchangeObserver.AUDIT_LOGGER);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeEach
    void capture() {
        lines.start();
        audit.addAppender(lines);
    }

    @AfterEach
    void release() {
        audit.detachAppender(lines);
    }

    @Test
    void aSuccessfulExchangeIsTimedOnceAndAuditedAsKeyValuesWithoutTheSession() {
        observer.exchanged("acme", "Handler", "jwt:https://idp alice", Duration.ofMillis(42).toNanos(), SESSION, null);

        assertThat(registry.get(ExchangeObserver.EXCHANGE_TIMER).tag("registration", "acme").tag("outcome", "success")
                .timer().count()).isEqualTo(1);
        assertThat(registry.get(ExchangeObserver.EXCHANGE_TIMER).timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(42.0);
        assertThat(lines.list).hasSize(1);
        ILoggingEvent line = lines.list.get(0);
        assertThat(line.getFormattedMessage()).isEqualTo(ExchangeObserver.AUDIT_MESSAGE).doesNotContain("{");
        Map<String, Object> fields = fields(line);
        assertThat(fields).containsOnlyKeys("time", "registration", "subject", "outcome", "latency_ms", "org_id",
                "user_id", "handler");
        assertThat(fields).containsEntry("registration", "acme")
                .containsEntry("subject", "jwt:https://idp alice")
                .containsEntry("outcome", "success")
                .containsEntry("latency_ms", 42.0)
                .containsEntry("org_id", "00D000000000001AAA")
                .containsEntry("user_id", "005000000000001AAA")
                .containsEntry("handler", "Handler");
        assertThat(fields.values()).noneMatch(value -> String.valueOf(value).contains("secret-session"));
    }

    @Test
    void aFailedExchangeIsAuditedWithItsFailureAndTimedUnderItsOutcome() {
        observer.exchanged("acme", null, "sha256:abc", 1_000_000, null,
                new ExchangeFailure(Kind.CIRCUIT_OPEN, "circuit breaker is OPEN", 10));

        assertThat(registry.get(ExchangeObserver.EXCHANGE_TIMER).tag("outcome", "circuit_open").timer().count())
                .isEqualTo(1);
        assertThat(fields(lines.list.get(0))).containsEntry("outcome", "circuit_open")
                .containsEntry("failure", "circuit_open")
                .containsEntry("detail", "circuit breaker is OPEN")
                .doesNotContainKeys("org_id", "user_id", "handler");
    }

    @Test
    void cacheLookupsAndRefusalsAreCounted() {
        observer.hit("acme");
        observer.hit("acme");
        observer.miss("acme");
        observer.coalesced("acme");
        observer.refused("acme", RefusalReason.SUBJECT_REJECTED);

        assertThat(registry.get(ExchangeObserver.CACHE_GETS).tag("result", "hit").counter().count()).isEqualTo(2.0);
        assertThat(registry.get(ExchangeObserver.CACHE_GETS).tag("result", "miss").counter().count()).isEqualTo(1.0);
        assertThat(registry.get(ExchangeObserver.COALESCED_COUNTER).counter().count()).isEqualTo(1.0);
        assertThat(registry.get(ExchangeObserver.REFUSED_COUNTER).tag("reason", "subject_rejected").counter().count())
                .isEqualTo(1.0);
    }

    private static Map<String, Object> fields(ILoggingEvent line) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (KeyValuePair pair : line.getKeyValuePairs()) {
            fields.put(pair.key, pair.value);
        }
        return fields;
    }
}
