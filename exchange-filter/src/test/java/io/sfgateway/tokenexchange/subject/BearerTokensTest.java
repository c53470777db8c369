package io.sfgateway.tokenexchange.subject;

import io.sfgateway.tokenexchange.InvalidSubjectException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sfgateway.tokenexchange.InvalidSubjectException.Reason;
import io.sfgateway.tokenexchange.BearerToken;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpHeaders;

/** Taking the bearer token from the request (see the README's caller table, RFC 6750 §2.1). */
class BearerTokensTest {

    private static HttpHeaders authorization(String... values) {
        HttpHeaders headers = new HttpHeaders();
        for (String value : values) {
            headers.add(HttpHeaders.AUTHORIZATION, value);
        }
        return headers;
    }

    private static Reason refusal(HttpHeaders headers) {
        InvalidSubjectException e = catchThrowableOfType(InvalidSubjectException.class, () -> BearerTokens.extract(headers));
        assertThat(e).as("refused").isNotNull();
        return e.reason();
    }

    @Test
    void plainBearerToken() {
        assertThat(BearerTokens.extract(authorization("Bearer abc.def-ghi_jkl~mno+pqr/stu==")).value())
                .isEqualTo("abc.def-ghi_jkl~mno+pqr/stu==");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bearer tok", "BEARER tok", "bEaReR tok"})
    void schemeIsCaseInsensitive(String header) {
        assertThat(BearerTokens.extract(authorization(header)).value()).isEqualTo("tok");
    }

    @Test
    void theTokenMatchesAPatternOnItsOwnNotWithTheSchemeBeforeIt() {
        BearerToken token = BearerTokens.extract(authorization("Bearer abc123"));
        assertThat(token.matches(Pattern.compile("[a-z0-9]+"))).isTrue();
        assertThat(token.matches(Pattern.compile("Bearer [a-z0-9]+"))).isFalse();
        assertThat(token.matches(Pattern.compile("^abc"))).as("the whole token, not a prefix").isFalse();
    }

    @Test
    void headerNameIsCaseInsensitive() {
        HttpHeaders headers = new HttpHeaders();
        headers.add("authorization", "Bearer tok");
        assertThat(BearerTokens.extract(headers).value()).isEqualTo("tok");
    }

    @Test
    void missingHeaderIsMissing() {
        assertThat(refusal(new HttpHeaders())).isEqualTo(Reason.MISSING);
    }

    @Test
    void twoAuthorizationHeadersAreMissing() {
        assertThat(refusal(authorization("Bearer a", "Bearer b"))).isEqualTo(Reason.MISSING);
        assertThat(refusal(authorization("Bearer a", "Bearer a"))).isEqualTo(Reason.MISSING);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Basic xyz", "Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "", "Bearertok", "Digest Bearer tok",
        "Token tok"})
    void otherSchemesOrNoTokenAreMissing(String header) {
        assertThat(refusal(authorization(header))).isEqualTo(Reason.MISSING);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer a b", "Bearer a\tb", "Bearer a\rb", "Bearer a\nb", "Bearer a\r\nX-Injected: 1",
        "Bearer tok,Bearer other", "Bearer a\"b", "Bearer a;b", "Bearer a=b", "Bearer =",
        "Bearer ===", "Bearer a%20b", "Bearer tök", "Bearer a\u0000b", "Bearer a\u2028b", "Bearer <script>", "Bearer a:b",
        "Bearer a@b", "Bearer a\\b"})
    void malformedTokensAreInvalid(String header) {
        assertThat(refusal(authorization(header))).isEqualTo(Reason.INVALID);
    }

    @Test
    void moreThanOneSpaceMaySeparateSchemeAndToken() {
        assertThat(BearerTokens.extract(authorization("Bearer   abc.def")).value()).isEqualTo("abc.def");
        assertThat(refusal(authorization("Bearer    "))).isEqualTo(Reason.MISSING);
    }

    @Test
    void tokenOfExactlyTenThousandCharactersIsAccepted() {
        String token = "a".repeat(10_000);
        assertThat(BearerTokens.extract(authorization("Bearer " + token)).value()).isEqualTo(token);
    }

    @Test
    void tokenOfTenThousandAndOneCharactersIsInvalid() {
        assertThat(refusal(authorization("Bearer " + "a".repeat(10_001)))).isEqualTo(Reason.INVALID);
        assertThat(refusal(authorization("Bearer " + "a".repeat(1_000_000)))).isEqualTo(Reason.INVALID);
    }

    @Test
    void paddingOnlyAtTheEnd() {
        assertThat(BearerTokens.extract(authorization("Bearer abc==")).value()).isEqualTo("abc==");
        assertThat(refusal(authorization("Bearer ab=c"))).isEqualTo(Reason.INVALID);
    }

    @Test
    void refusalMessageNeverHoldsTheToken() {
        String secretish = "SECRETTOKEN" + "x".repeat(10_000);
        InvalidSubjectException e = catchThrowableOfType(InvalidSubjectException.class,
                () -> BearerTokens.extract(authorization("Bearer " + secretish)));
        assertThat(e.getMessage()).doesNotContain("SECRETTOKEN");
        InvalidSubjectException bad = catchThrowableOfType(InvalidSubjectException.class,
                () -> BearerTokens.extract(authorization("Bearer SECRETTOKEN bad")));
        assertThat(bad.getMessage()).doesNotContain("SECRETTOKEN");
    }
}
