package io.sfgateway.tokenexchange.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link TokenForm}: the pre-encoded fields and the per-request subject token, byte for byte a form. */
class TokenFormTest {

    private static ExchangeSettings settings(String secret, String scope, String handler) {
        return new ExchangeSettings("acme",
                new TokenClient(URI.create("https://login.example.com/services/oauth2/token"), "3MVG9+id/x", secret),
                new TokenRequest(ExchangeSettings.TOKEN_EXCHANGE, ExchangeSettings.TOKEN_TYPE_JWT, scope, handler),
                InstanceUrlAllowlist.of(List.of("https://*.my.salesforce.com")));
    }

    private static Map<String, String> decode(byte[] form) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : new String(form, StandardCharsets.US_ASCII).split("&")) {
            int eq = pair.indexOf('=');
            assertThat(fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8))).isNull();
        }
        return fields;
    }

    @Test
    void everyAsciiCharacterIsEncodedAsTheJdkEncodesIt() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x80; c++) {
            all.append(c);
        }
        String token = all.toString();
        byte[] form = new TokenForm(settings(null, null, null)).with(token);
        String text = new String(form, StandardCharsets.US_ASCII);
        assertThat(text).endsWith("&subject_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
        assertThat(decode(form)).containsEntry("subject_token", token);
    }

    @Test
    void randomTokensIncludingNonAsciiRoundTrip() {
        Random random = new Random(42);
        TokenForm form = new TokenForm(settings("s3cr&t=", "api web", "Handler"));
        for (int i = 0; i < 2_000; i++) {
            char[] token = new char[random.nextInt(64)];
            for (int j = 0; j < token.length; j++) {
                token[j] = (char) (random.nextInt(10) == 0 ? 0x80 + random.nextInt(0x700) : random.nextInt(0x80));
            }
            String subject = new String(token);
            assertThat(decode(form.with(subject))).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "grant_type", ExchangeSettings.TOKEN_EXCHANGE,
                    "subject_token_type", ExchangeSettings.TOKEN_TYPE_JWT,
                    "client_id", "3MVG9+id/x",
                    "client_secret", "s3cr&t=",
                    "scope", "api web",
                    "token_handler", "Handler",
                    "subject_token", subject));
        }
    }

    @Test
    void optionalFieldsOnlyWhenConfigured() {
        assertThat(decode(new TokenForm(settings(null, null, null)).with("t")))
                .containsOnlyKeys("grant_type", "subject_token_type", "client_id", "subject_token");
    }
}
