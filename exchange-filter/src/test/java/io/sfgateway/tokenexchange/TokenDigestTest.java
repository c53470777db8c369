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
        Subject opaque = Subject.opaque(BearerToken.of("opaque-token"), digest);
        assertThat(opaque.key()).isEqualTo(digest.key());
        assertThat(opaque.tokenDigest()).isSameAs(digest);
        assertThat(Subject.validatedAs("jwt:https://idp alice", BearerToken.of("t"), digest).tokenDigest()).isSameAs(digest);
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

    @Test
    void aTokenReadWhereItArrivedHashesAsTheSameTokenOnItsOwn() {
        for (String token : new String[] {"abc.def-ghi", "t\u00e9l\u00e9phone", "x".repeat(5000)}) {
            String header = "Bearer   " + token;
            BearerToken within = BearerToken.within(header, header.length() - token.length());
            assertThat(within.length()).isEqualTo(token.length());
            assertThat(TokenDigest.of(within)).as("%.20s", token).isEqualTo(TokenDigest.of(token));
            assertThat(within.value()).isEqualTo(token);
        }
    }

    @Test
    void aBearerTokenIsCopiedOutOnceAndOnlyWhenReadWholeAndNeverShown() {
        BearerToken within = BearerToken.within("Bearer secret.token", 7);
        assertThat(within.charAt(0)).isEqualTo('s');
        String value = within.value();
        assertThat(value).isEqualTo("secret.token");
        assertThat(within.value()).isSameAs(value);
        assertThat(within.toString()).doesNotContain("secret").contains("12");
        assertThat(Subject.validatedAs("jwt:https://idp alice", within, TokenDigest.of(within)).token()).isSameAs(value);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BearerToken.within("Bearer", 7))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
