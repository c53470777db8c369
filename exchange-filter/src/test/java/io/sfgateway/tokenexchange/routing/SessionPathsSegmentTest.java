package io.sfgateway.tokenexchange.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The literal dot-segment check, on every path of up to seven characters drawn from the ones that
 * matter to it, against the plain reading of the rule: split on {@code /} and {@code \}, drop
 * {@code ;...}, refuse {@code .} and {@code ..}.
 */
class SessionPathsSegmentTest {

    private static final char[] ALPHABET = {'.', ';', '/', '\\', 'a', '%'};

    @Test
    void theSegmentCheckAgreesWithThePlainReadingOnEveryShortPath() {
        int checked = 0;
        for (int length = 0; length <= 7; length++) {
            int[] digits = new int[length];
            int combinations = (int) Math.pow(ALPHABET.length, length);
            for (int n = 0; n < combinations; n++) {
                StringBuilder path = new StringBuilder("/services/data/");
                int rest = n;
                for (int i = 0; i < length; i++) {
                    digits[i] = rest % ALPHABET.length;
                    rest /= ALPHABET.length;
                    path.append(ALPHABET[digits[i]]);
                }
                String candidate = path.toString();
                if (candidate.indexOf('%') < 0) { // encodings are the decoder's part, tested in SessionPathsTest
                    assertThat(SessionPaths.hasDotSegments(candidate)).as(candidate).isEqualTo(plainReading(candidate));
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(70_000);
    }

    private static boolean plainReading(String path) {
        for (String segment : path.split("[/\\\\]", -1)) {
            int semicolon = segment.indexOf(';');
            String name = semicolon < 0 ? segment : segment.substring(0, semicolon);
            if (name.equals(".") || name.equals("..")) {
                return true;
            }
        }
        return false;
    }
}
