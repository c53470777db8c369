package io.sfgateway.loadtests.simulations;

import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.sfgateway.loadtests.support.ActuatorMetrics;
import io.sfgateway.loadtests.support.EmulatorAdmin;
import io.sfgateway.loadtests.support.Http;
import io.sfgateway.loadtests.support.StackInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What every workload shares: the stack under test ({@code -Dloadtest.stack}), smoke or full sizes, a run id that
 * makes this run's subjects unique, the HTTP protocol, and the exchanges-per-subject check Gatling has no assertion
 * for.
 *
 * <p>Sizes are knobs: {@code -Dloadtest.<name>=N} overrides the smoke or full default.
 */
final class LoadContext {

    static final String LIMITS = "/services/data/v62.0/limits";
    static final String QUERY = "/services/data/v62.0/query?q=SELECT+Id+FROM+Account";
    static final Duration TOKEN_TTL = Duration.ofHours(2);

    final StackInfo stack = StackInfo.fromSystemProperty();
    final boolean smoke = stack.smoke();
    final EmulatorAdmin admin = stack.admin();
    final String runId = Long.toString(System.currentTimeMillis(), 36);

    final HttpProtocolBuilder protocol = http
            .baseUrl(stack.gatewayUrl())
            .acceptHeader("application/json")
            .userAgentHeader("sf-gateway-load-tests")
            .disableWarmUp();

    /** {@code -Dloadtest.<name>}, else the smoke or the full value. */
    int knob(String name, int smokeValue, int fullValue) {
        return Integer.getInteger("loadtest." + name, smoke ? smokeValue : fullValue);
    }

    /** This run's subjects of one kind: {@code <kind>-<run id>-}. */
    String prefix(String kind) {
        return kind + "-" + runId + "-";
    }

    static List<String> subjects(String prefix, int count) {
        List<String> subjects = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            subjects.add(String.format("%s%05d", prefix, i));
        }
        return subjects;
    }

    /**
     * Fails the run when any subject needed more than one exchange (maxExchangesPerSubject from the org's
     * {@code /__admin/counters}; docs/BENCHMARKS.md), and, when {@code expected} is not negative, when the subjects of
     * {@code prefix} were not exchanged exactly once each.
     */
    void verifyExchangesPerSubject(String who, String prefix, long expected) {
        EmulatorAdmin.Counters counters = admin.counters();
        long max = counters.maxExchangesPerSubject();
        long subjects = counters.subjectsWithPrefix(prefix);
        long exchanges = counters.exchangesWithPrefix(prefix);
        System.out.printf("[%s] exchanges: %d for %d subjects; max per subject (whole org) %d; coalesced at the"
                + " gateway so far: %s%n", who, exchanges, subjects, max,
                gatewayCount("salesforce.token.exchange.coalesced"));
        if (max > 1) {
            throw new IllegalStateException("[" + who + "] exchanges per subject: " + max + " > 1"
                    + " (maxExchangesPerSubject at " + admin.baseUrl() + "/__admin/counters)");
        }
        if (expected >= 0 && (subjects != expected || exchanges != expected)) {
            throw new IllegalStateException("[" + who + "] expected exactly one exchange for each of " + expected
                    + " subjects, got " + exchanges + " exchanges for " + subjects + " subjects");
        }
    }

    /** A counter's or timer's count with these {@code key:value} tags, from the gateway's actuator (JSON). */
    String gatewayCount(String name, String... tags) {
        try {
            // A meter is absent (0) until it first counts.
            return String.format("%.0f", new ActuatorMetrics(stack.managementUrl()).count(name, tags));
        } catch (RuntimeException e) {
            return "n/a";
        }
    }
}
