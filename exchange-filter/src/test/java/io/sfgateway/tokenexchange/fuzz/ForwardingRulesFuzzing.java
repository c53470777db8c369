package io.sfgateway.tokenexchange.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing of the forwarding rules (session paths, {@code Connection},
 * stripped query parameters); see {@link ForwardingRulesFuzzTarget} for the properties.
 * Jazzer fuzzes one test per run, so the build runs this class in an execution of its own
 * ({@code fuzz-forwarding}); its name does not end in {@code FuzzTest} for that reason.
 */
class ForwardingRulesFuzzing {

    @FuzzTest(maxDuration = "20s")
    void forwardingRules(FuzzedDataProvider data) {
        ForwardingRulesFuzzTarget.fuzzerTestOneInput(data);
    }

    @Test
    void theTargetTellsAnEscapeFromAStay() {
        ForwardingRulesFuzzTarget.checkPath("/services/data/v62.0/limits");
        ForwardingRulesFuzzTarget.checkPath("/services/data/%2e%2e/x"); // refused, so nothing to check
        ForwardingRulesFuzzTarget.checkConnection("close, Authorization, X-Hop");
        ForwardingRulesFuzzTarget.checkQuery("q=1&access%255Ftoken=2&ACCESS_TOKEN=3&x=4");
    }
}
