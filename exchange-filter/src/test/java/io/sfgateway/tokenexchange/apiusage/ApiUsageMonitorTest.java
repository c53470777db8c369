package io.sfgateway.tokenexchange.apiusage;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sfgateway.tokenexchange.ExchangeFailure;
import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.SessionGrant;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;

/** Gauges, WARNs once per crossing, shedding and its probe, the malformed and limit-exceeded counters. */
class ApiUsageMonitorTest {

    private static final String ORG = "00D000000000001AAA";
    private static final SalesforceSession SESSION = new SalesforceSession("00D!secret",
            SessionGrant.of(URI.create("https://acme.my.salesforce.com"), ORG, "api"), "005000000000001AAA", 0);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final AtomicLong nanos = new AtomicLong(1_000);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(ApiUsageMonitor.class);

    @BeforeEach
    void captureLines() {
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
    }

    private ApiUsageMonitor monitor(Double shedAbove) {
        return new ApiUsageMonitor("acme", new ApiUsagePolicy(List.of(0.95, 0.80), shedAbove, Duration.ofSeconds(30)),
                meters, nanos::get);
    }

    private static MockServerHttpResponse answer(HttpStatus status, String limitInfo) {
        MockServerHttpResponse response = new MockServerHttpResponse();
        response.setStatusCode(status);
        if (limitInfo != null) {
            response.getHeaders().add("Sforce-Limit-Info", limitInfo);
        }
        return response;
    }

    private List<String> warnings() {
        return lines.list.stream().filter(line -> line.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
    }

    private double gauge(String name) {
        return meters.get(name).tag("registration", "acme").tag("org", ORG).gauge().value();
    }

    @Test
    void gaugesFollowEveryAnswerPerRegistrationAndOrg() {
        ApiUsageMonitor monitor = monitor(null);
        monitor.answered(SESSION, answer(HttpStatus.OK, "api-usage=10018/100000, per-app-api-usage=3/250(appName=x)"));
        assertThat(gauge("salesforce.api.usage")).isEqualTo(10018);
        assertThat(gauge("salesforce.api.limit")).isEqualTo(100000);
        monitor.answered(SESSION, answer(HttpStatus.NOT_FOUND, "api-usage=10020/100000"));
        assertThat(gauge("salesforce.api.usage")).isEqualTo(10020);

        SalesforceSession noOrg = new SalesforceSession("t",
                SessionGrant.of(SESSION.instanceUrl(), null, null), null, 0);
        monitor.answered(noOrg, answer(HttpStatus.OK, "api-usage=5/10"));
        assertThat(meters.get("salesforce.api.usage").tag("org", "unknown").gauge().value()).isEqualTo(5);
        assertThat(meters.find("salesforce.api.usage").gauges()).allSatisfy(gauge ->
                assertThat(gauge.getId().getTag("org")).doesNotContain("salesforce.com"));
    }

    @Test
    void oneWarnPerThresholdCrossedAndAgainOnlyAfterUsageFellBack() {
        ApiUsageMonitor monitor = monitor(null);
        monitor.answered(SESSION, answer(HttpStatus.OK, "api-usage=790/1000"));
        assertThat(warnings()).isEmpty();
        monitor.answered(SESSION, answer(HttpStatus.OK, "api-usage=810/1000"));
        monitor.answered(SESSION, answer(HttpStatus.OK, "api-usage=811/1000"));
        monitor.answered(SESSION, answer(HttpStatus.OK, "api-usage=800/1000")); // an answer overtaken on the way
        assertThat(warnings()).hasSize(1).first().asString().contains(ORG).contains("'acme'").contains("810 of its 1000")
                .contains("80.0 %");
        monitor.answered(SESSION, answer(HttpStatus.OK, "api-usage=960/1000"));
        monitor.answered(SESSION, answer(HttpStatus.OK, "api-usage=961/1000"));
        assertThat(warnings()).hasSize(2).last().asString().contains("95.0 %");

        monitor.answered(SESSION, answer(HttpStatus.OK, "api-usage=20/1000")); // the daily window moved on
        monitor.answered(SESSION, answer(HttpStatus.OK, "api-usage=970/1000")); // both crossed at once
        assertThat(warnings()).hasSize(4);
        assertThat(warnings().get(2)).contains("80.0 %");
        assertThat(warnings().get(3)).contains("95.0 %");
    }

    @Test
    void aMalformedHeaderIsCountedAndChangesNothing() {
        ApiUsageMonitor monitor = monitor(0.9);
        monitor.answered(SESSION, answer(HttpStatus.OK, "api-usage=100/1000"));
        monitor.answered(SESSION, answer(HttpStatus.OK, "api-usage=oops"));
        monitor.answered(SESSION, answer(HttpStatus.OK, "garbage"));
        assertThat(meters.get("salesforce.api.usage.malformed").tag("registration", "acme").counter().count()).isEqualTo(2);
        assertThat(gauge("salesforce.api.usage")).isEqualTo(100);
        assertThat(monitor.admit()).isTrue();
    }

    @Test
    void noHeaderChangesNothing() {
        ApiUsageMonitor monitor = monitor(0.9);
        monitor.answered(SESSION, answer(HttpStatus.OK, null));
        assertThat(meters.find("salesforce.api.usage").gauges()).isEmpty();
        assertThat(meters.get("salesforce.api.usage.malformed").counter().count()).isZero();
        assertThat(monitor.admit()).isTrue();
    }

    @Test
    void aboveShedAboveNewRequestsAreShedWithOneProbePerRetryAfterUntilUsageIsBack() {
        ApiUsageMonitor monitor = monitor(0.9);
        monitor.answered(SESSION, answer(HttpStatus.OK, "api-usage=900/1000"));
        assertThat(monitor.admit()).as("at the threshold, not above it").isTrue();
        monitor.answered(SESSION, answer(HttpStatus.OK, "api-usage=901/1000"));
        assertThat(monitor.admit()).isFalse();
        assertThat(monitor.admit()).isFalse();
        ExchangeFailure shed = monitor.shed();
        assertThat(shed.kind()).isEqualTo(ExchangeFailure.Kind.API_LIMIT);
        assertThat(shed.retryAfterSeconds()).isEqualTo(30);
        assertThat(meters.get("salesforce.api.usage.shedding").gauge().value()).isEqualTo(1);
        assertThat(warnings()).anySatisfy(line -> assertThat(line).contains("shed-above"));

        monitor.answered(SESSION, answer(HttpStatus.OK, "api-usage=899/1000")); // in flight before the shed began
        assertThat(monitor.admit()).as("a call less is no way back").isFalse();

        nanos.addAndGet(Duration.ofSeconds(30).toNanos());
        assertThat(monitor.admit()).as("the probe").isTrue();
        assertThat(monitor.admit()).as("one probe per period").isFalse();
        monitor.answered(SESSION, answer(HttpStatus.OK, "api-usage=950/1000")); // still above
        assertThat(monitor.admit()).isFalse();
        nanos.addAndGet(Duration.ofSeconds(29).toNanos());
        assertThat(monitor.admit()).isFalse();
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(monitor.admit()).as("the next probe").isTrue();
        monitor.answered(SESSION, answer(HttpStatus.OK, "api-usage=12/1000")); // the window moved on
        assertThat(monitor.admit()).isTrue();
        assertThat(monitor.admit()).isTrue();
        assertThat(meters.get("salesforce.api.usage.shedding").gauge().value()).isZero();
    }

    @Test
    void withoutShedAboveNothingIsEverShed() {
        ApiUsageMonitor monitor = monitor(null);
        monitor.answered(SESSION, answer(HttpStatus.FORBIDDEN, "api-usage=1001/1000"));
        assertThat(monitor.admit()).isTrue();
    }

    @Test
    void requestLimitExceededIsCountedOnlyWhenTheAllocationIsSpent() {
        ApiUsageMonitor monitor = monitor(null);
        monitor.answered(SESSION, answer(HttpStatus.FORBIDDEN, "api-usage=10/1000")); // API_CURRENTLY_DISABLED, say
        monitor.answered(SESSION, answer(HttpStatus.FORBIDDEN, null));
        assertThat(exceeded()).isZero();
        monitor.answered(SESSION, answer(HttpStatus.FORBIDDEN, "api-usage=1000/1000"));
        assertThat(exceeded()).isOne();
        monitor.answered(SESSION, answer(HttpStatus.FORBIDDEN, null)); // no header: the last figure says spent
        assertThat(exceeded()).isEqualTo(2);
        monitor.answered(SESSION, answer(HttpStatus.OK, "api-usage=1000/1000"));
        assertThat(exceeded()).isEqualTo(2);
    }

    private double exceeded() {
        return meters.get("salesforce.api.limit.exceeded").tag("registration", "acme").tag("org", ORG).counter().count();
    }
}
