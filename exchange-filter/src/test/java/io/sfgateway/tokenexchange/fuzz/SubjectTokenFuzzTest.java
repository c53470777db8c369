package io.sfgateway.tokenexchange.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing of the subject path with Jazzer. In a normal build (regression mode)
 * it replays the seed corpus; the build's {@code fuzz} execution sets {@code JAZZER_FUZZ=1} and
 * fuzzes for {@code maxDuration}. See {@link SubjectTokenFuzzTarget} for the properties checked.
 */
class SubjectTokenFuzzTest {

    @BeforeAll
    static void start() {
        SubjectTokenFuzzTarget.start();
    }

    @AfterAll
    static void stop() {
        SubjectTokenFuzzTarget.stop();
    }

    @FuzzTest(maxDuration = "20s")
    void subjectPath(FuzzedDataProvider data) {
        SubjectTokenFuzzTarget.fuzzerTestOneInput(data);
    }

    @Test
    void theGenuineTokenIsAcceptedSoTheTargetCanTellAcceptanceFromRefusal() {
        long before = SubjectTokenFuzzTarget.accepted();
        SubjectTokenFuzzTarget.check(SubjectTokenFuzzTarget.genuine());
        assertThat(SubjectTokenFuzzTarget.accepted()).isEqualTo(before + 1);
        SubjectTokenFuzzTarget.check(SubjectTokenFuzzTarget.genuine() + "x"); // refused, and that is fine
        assertThat(SubjectTokenFuzzTarget.accepted()).isEqualTo(before + 1);
    }
}
