package io.sfgateway.loadtests.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** jcmd against this very JVM: the class histogram parsed, a failing command reported. */
class JcmdTest {

    /** Held so the histogram has a class of ours with a known number of live instances. */
    private static final Marker[] MARKERS = {new Marker(), new Marker(), new Marker()};

    private static final class Marker {
    }

    @Test
    void classHistogramHasTheTotalAndLiveInstancesPerClass() {
        Jcmd.ClassHistogram histogram = Jcmd.classHistogram(ProcessHandle.current().pid());
        assertThat(histogram.bytes()).isPositive();
        assertThat(histogram.instances(Marker.class.getName())).isEqualTo(MARKERS.length);
        assertThat(histogram.instances("java.lang.String")).isPositive();
    }

    @Test
    void aFailingCommandFails() {
        assertThatThrownBy(() -> Jcmd.run(ProcessHandle.current().pid(), "No.Such.Command"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("No.Such.Command");
    }
}
