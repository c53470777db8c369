package io.sfgateway.tokenexchange;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LogSafeTest {

    @ParameterizedTest
    @ValueSource(strings = {"a\nb", "a\rb", "a\r\nb", "a\u2028b", "a\u2029b", "a\u0085b", "a\u000bb", "a\u000cb", "a\u001bb",
        "a\u200eb", "a\u0000b"})
    void lineBreaksAndOtherControlCharactersAreEscaped(String text) {
        String safe = LogSafe.text(text);
        assertThat(safe).startsWith("a\\").endsWith("b").doesNotContain("\n").doesNotContain("\r");
        assertThat(safe.chars().noneMatch(c -> LogSafe.isUnsafe((char) c))).isTrue();
    }

    @Test
    void ordinaryTextIsKeptAsItIsAndEscapingTwiceChangesNothing() {
        assertThat(LogSafe.text("algorithm is not allowed: ünïcode ok \\n")).isEqualTo("algorithm is not allowed: ünïcode ok \\n");
        String once = LogSafe.text("x\ny");
        assertThat(LogSafe.text(once)).isEqualTo(once).isEqualTo("x\\ny");
        assertThat(LogSafe.text(null)).isEmpty();
    }

    @Test
    void theLengthIsCapped() {
        String safe = LogSafe.text("z".repeat(10_000));
        assertThat(safe).hasSize(LogSafe.MAX_LENGTH + "...(9800 more)".length()).endsWith("...(9800 more)");
        assertThat(LogSafe.text("\u0001".repeat(10_000))).hasSizeLessThan(LogSafe.MAX_LENGTH + 24);
    }
}
