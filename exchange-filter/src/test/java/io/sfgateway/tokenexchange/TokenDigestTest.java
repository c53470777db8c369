package io.sfgateway.tokenexchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** One digest per token: the opaque key, the 128-bit memo key and the subject's digest agree. */
class TokenDigestTest {

    @Test
    void theKeyIsTheTokensSha256InHexAndTheMemoBitsAreItsFirst128() throws Exception {
        byte[] expected = MessageDigest.getInstance("SHA-256").digest("opaque-token".getBytes(StandardCharsets.UTF_8));
        TokenDigest digest = TokenDigest.of("opaque-token");

        assertThat(digest.key()).isEqualTo("sha256:" + HexFormat.of().formatHex(expected));
        ByteBuffer bits = ByteBuffer.wrap(expected);
        assertThat(digest.high()).isEqualTo(bits.getLong());
        assertThat(digest.low()).isEqualTo(bits.getLong());
        assertThat(digest).isEqualTo(TokenDigest.of("opaque-token")).isNotEqualTo(TokenDigest.of("opaque-token2"));
        assertThat(digest.toString()).doesNotContain("opaque-token");
    }

    @Test
    void aSubjectCarriesTheDigestItWasGivenAndAnOpaqueSubjectIsKeyedByIt() {
        TokenDigest digest = TokenDigest.of("opaque-token");
        Subject opaque = Subject.opaque("opaque-token", digest);
        assertThat(opaque.key()).isEqualTo(digest.key());
        assertThat(opaque.tokenDigest()).isSameAs(digest);
        assertThat(Subject.validatedAs("jwt:https://idp alice", "t", digest).tokenDigest()).isSameAs(digest);
        assertThat(Subject.opaque("opaque-token").key()).isEqualTo(digest.key());
        assertThat(Subject.validated("https://idp", "alice", "opaque-token").tokenDigest()).isEqualTo(digest);
    }

    @Test
    void everyTokenIsHashedAsItsUtf8BytesWhateverItsLengthOrCharacters() throws Exception {
        // The hasher keeps its buffer between calls: a short token after a long one, a long one after a
        // short one, and a token that is not ASCII (hashed as its UTF-8 bytes) all hash as they should.
        String[] tokens = {"a".repeat(5000), "short", "x".repeat(20_000), "t\u00e9l\u00e9phone-\u2603", "a".repeat(4999), "", "eyJ.x.y"};
        for (String token : tokens) {
            byte[] expected = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            assertThat(TokenDigest.of(token).key()).as("%.20s (%d chars)", token, token.length())
                    .isEqualTo("sha256:" + HexFormat.of().formatHex(expected));
        }
    }
}
