package io.sfgateway.tokenexchange.exchange;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One registration's RFC 8693 form, {@code application/x-www-form-urlencoded}: every field but the
 * subject token is encoded once, here; a request only appends {@code &subject_token=} and the
 * token. Hand-written rather than Spring's form writer because that one builds a map, encodes
 * every field and copies the text twice on each request.
 */
final class TokenForm {

    private static final byte[] SUBJECT_TOKEN = "&subject_token=".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private final byte[] fixedFields;

    TokenForm(ExchangeSettings settings) {
        StringBuilder form = new StringBuilder(256);
        field(form, "grant_type", settings.request().grantType());
        field(form, "subject_token_type", settings.request().subjectTokenType());
        field(form, "client_id", settings.client().clientId());
        field(form, "client_secret", settings.client().clientSecret());
        field(form, "scope", settings.request().scope());
        field(form, "token_handler", settings.request().tokenHandler());
        this.fixedFields = form.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void field(StringBuilder form, String name, String value) {
        if (value == null) {
            return; // optional fields only when configured
        }
        if (!form.isEmpty()) {
            form.append('&');
        }
        form.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    /** The whole form for {@code subjectToken}, sent exactly as given (percent-encoded as a form requires). */
    byte[] with(String subjectToken) {
        int length = subjectToken.length();
        byte[] form = new byte[fixedFields.length + SUBJECT_TOKEN.length + 3 * length];
        System.arraycopy(fixedFields, 0, form, 0, fixedFields.length);
        System.arraycopy(SUBJECT_TOKEN, 0, form, fixedFields.length, SUBJECT_TOKEN.length);
        int at = fixedFields.length + SUBJECT_TOKEN.length;
        for (int i = 0; i < length; i++) {
            char c = subjectToken.charAt(i);
            if (c >= 0x80) {
                return withNonAscii(subjectToken); // never in a JWT or b64token; correct all the same
            }
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '*') {
                form[at++] = (byte) c;
            } else if (c == ' ') {
                form[at++] = '+';
            } else {
                form[at++] = '%';
                form[at++] = HEX[c >> 4];
                form[at++] = HEX[c & 0xF];
            }
        }
        return Arrays.copyOf(form, at);
    }

    private byte[] withNonAscii(String subjectToken) {
        byte[] token = URLEncoder.encode(subjectToken, StandardCharsets.UTF_8).getBytes(StandardCharsets.US_ASCII);
        byte[] form = Arrays.copyOf(fixedFields, fixedFields.length + SUBJECT_TOKEN.length + token.length);
        System.arraycopy(SUBJECT_TOKEN, 0, form, fixedFields.length, SUBJECT_TOKEN.length);
        System.arraycopy(token, 0, form, fixedFields.length + SUBJECT_TOKEN.length, token.length);
        return form;
    }
}
