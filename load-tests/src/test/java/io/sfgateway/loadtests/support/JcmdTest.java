package io.sfgateway.loadtests.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** jcmd against this very JVM: a command's output, a failing command reported. */
class JcmdTest {

    @Test
    void aCommandAnswersWithItsOutput() {
        assertThat(Jcmd.run(ProcessHandle.current().pid(), "VM.version")).contains("JDK");
    }

    @Test
    void aFailingCommandFails() {
        assertThatThrownBy(() -> Jcmd.run(ProcessHandle.current().pid(), "No.Such.Command"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("No.Such.Command");
    }
}
