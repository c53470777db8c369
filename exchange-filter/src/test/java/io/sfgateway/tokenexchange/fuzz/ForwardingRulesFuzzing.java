package io.sfgateway.tokenexchange.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sfgateway.tokenexchange.routing.SessionPaths;
import java.util.List;
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

    /** The seeds the fuzzer starts from hold the properties, and the rule under test tells a stay from an escape. */
    @Test
    void theTargetTellsAnEscapeFromAStay() {
        SessionPaths paths = new SessionPaths(List.of("/services/data/"));
        assertThat(paths.judge("/services/data/v62.0/limits")).isEqualTo(SessionPaths.Verdict.ALLOWED);
        assertThat(paths.judge("/services/data/%2e%2e/x")).isEqualTo(SessionPaths.Verdict.DOT_SEGMENTS);
        assertThat(paths.judge("/secur/frontdoor.jsp")).isEqualTo(SessionPaths.Verdict.OUTSIDE);
        assertThatCode(() -> {
            ForwardingRulesFuzzTarget.checkPath("/services/data/v62.0/limits");
            ForwardingRulesFuzzTarget.checkPath("/services/data/%2e%2e/x");
            ForwardingRulesFuzzTarget.checkConnection("close, Authorization, X-Hop");
            ForwardingRulesFuzzTarget.checkQuery("q=1&access%255Ftoken=2&ACCESS_TOKEN=3&x=4");
        }).doesNotThrowAnyException();
    }
}
