package io.sfgateway.tokenexchange.subject;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfgateway.tokenexchange.BearerToken;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The opaque token's quick check, on the token where it stands in {@code Authorization}. */
class OpaqueTokenShapeTest {

    private static BearerToken token(String header) {
        return BearerToken.within(header, "Bearer ".length());
    }

    @Test
    void theMinimumLengthCountsTheTokenNotTheHeader() {
        OpaqueTokenShape shape = new OpaqueTokenShape(8, null);
        assertThat(shape.fits(token("Bearer 12345678"))).isTrue();
        assertThat(shape.fits(token("Bearer 1234567"))).isFalse();
    }

    @Test
    void thePatternMustMatchTheWholeToken() {
        OpaqueTokenShape shape = new OpaqueTokenShape(1, Pattern.compile("00D[A-Za-z0-9]{12}![A-Za-z0-9._]+"));
        assertThat(shape.fits(token("Bearer 00Dxx0000001gPL!AQ4AQ.abc"))).isTrue();
        assertThat(shape.fits(token("Bearer x00Dxx0000001gPL!AQ4AQ.abc"))).isFalse();
        assertThat(shape.fits(token("Bearer 00Dxx0000001gPL!AQ4AQ.abc~"))).isFalse();
    }
}
