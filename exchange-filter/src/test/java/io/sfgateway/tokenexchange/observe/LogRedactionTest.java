package io.sfgateway.tokenexchange.observe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LogRedactionTest {

    private static final String JWS = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLXZhbHVl";
    private static final String SESSION = "00D000000000001AAA!AQ4AQKx.fj9wq_3rT8mZ2dWnYpHq1sVb";

    @ParameterizedTest
    @ValueSource(strings = {
        "token " + JWS + " refused",
        "Authorization: Bearer abcDEF123-._~+/== was sent",
        "authorization=bearer opaque-token-value-123",
        "session " + SESSION + " revoked",
        "form grant_type=x&subject_token=opaque-value-123&client_id=c",
        "{\"access_token\":\"some-token-value\",\"instance_url\":\"https://x\"}",
        "client_secret=hunter2hunter2 in form",
        "a JWE eyJhbGciOiJSU0EtT0FFUCJ9.ZW5jcnlwdGVkLWtleQ.aXY.Y2lwaGVydGV4dA.dGFn here",
        "SetRequestHeader=Authorization, Bearer 00D000000000001AAA!AQ4AQKx-fj9wq--opaque-token-value-tail",
        "Bearer abcDEF123!with$odd%chars"})
    void credentialsAreMasked(String line) {
        String redacted = LogRedaction.redact(line);
        assertThat(redacted).contains(LogRedaction.MASK)
                .doesNotContain(JWS).doesNotContain(SESSION).doesNotContain("abcDEF123").doesNotContain("opaque-token-value")
                .doesNotContain("opaque-value-123").doesNotContain("some-token-value").doesNotContain("hunter2")
                .doesNotContain("Y2lwaGVydGV4dA").doesNotContain("value-tail").doesNotContain("odd%chars");
    }

    @Test
    void aCredentialIsMaskedOnceAndExactly() {
        assertThat(LogRedaction.redact("Bearer " + JWS)).isEqualTo("Bearer [REDACTED]");
        assertThat(LogRedaction.redact("Bearer " + SESSION + " sent")).isEqualTo("Bearer [REDACTED] sent");
        assertThat(LogRedaction.redact("Bearer opaque-123")).isEqualTo("Bearer [REDACTED]");
    }

    @Test
    void ordinaryLinesAreUntouched() {
        String line = "Token exchange failed on registration acme (TIMEOUT): no answer within 3000 ms";
        assertThat(LogRedaction.redact(line)).isSameAs(line);
        String audit = "{\"registration\":\"acme\",\"subject\":\"jwt:https://idp alice\",\"outcome\":\"success\",\"org_id\":\"00D000000000001AAA\"}";
        assertThat(LogRedaction.redact(audit)).isEqualTo(audit);
    }
}
