package io.sfgateway.tokenexchange.subject;

import io.sfgateway.tokenexchange.BearerToken;
import io.sfgateway.tokenexchange.InvalidSubjectException;
import io.sfgateway.tokenexchange.InvalidSubjectException.Reason;
import java.util.List;
import org.springframework.http.HttpHeaders;

/** Takes the caller's bearer token from exactly one {@code Authorization} header (RFC 6750 §2.1). */
public final class BearerTokens {

    /** Salesforce's documented ceiling for {@code subject_token}. */
    public static final int MAX_TOKEN_LENGTH = 10_000;

    private static final String SCHEME = "Bearer ";
    /** Lower-case: the headers' case-insensitive map would lower-case another spelling into a new string per request. */
    private static final String AUTHORIZATION = "authorization";
    /** The b64token characters other than {@code =}, by code point (ASCII only). */
    private static final boolean[] TOKEN_CHARS = tokenChars();

    private BearerTokens() {
    }

    /**
     * Returns the token of the request's single {@code Authorization: Bearer} header, where it
     * stands in the header's value (not copied out).
     *
     * @throws InvalidSubjectException {@link Reason#MISSING} when there is no such header or more
     *     than one; {@link Reason#INVALID} when the token is over {@value #MAX_TOKEN_LENGTH}
     *     characters or not a well-formed b64token
     */
    public static BearerToken extract(HttpHeaders headers) {
        List<String> values = headers.get(AUTHORIZATION);
        if (values == null || values.isEmpty()) {
            throw new InvalidSubjectException(Reason.MISSING, "no Authorization header");
        }
        if (values.size() > 1) {
            throw new InvalidSubjectException(Reason.MISSING, "more than one Authorization header");
        }
        String value = values.get(0);
        if (value.length() <= SCHEME.length() || !value.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw new InvalidSubjectException(Reason.MISSING, "Authorization is not a Bearer token");
        }
        int start = SCHEME.length();
        while (start < value.length() && value.charAt(start) == ' ') {
            start++; // credentials = auth-scheme 1*SP b64token
        }
        if (start == value.length()) {
            throw new InvalidSubjectException(Reason.MISSING, "Authorization is not a Bearer token");
        }
        int length = value.length() - start;
        if (length > MAX_TOKEN_LENGTH) {
            throw new InvalidSubjectException(Reason.INVALID, "token of " + length + " characters is over the limit");
        }
        if (!isB64Token(value, start)) {
            throw new InvalidSubjectException(Reason.INVALID, "token is not a well-formed b64token");
        }
        return BearerToken.within(value, start);
    }

    /** {@code b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="}. */
    private static boolean isB64Token(String value, int from) {
        int i = from;
        int end = value.length();
        while (i < end && isTokenChar(value.charAt(i))) {
            i++;
        }
        if (i == from) {
            return false;
        }
        while (i < end && value.charAt(i) == '=') {
            i++;
        }
        return i == end;
    }

    private static boolean isTokenChar(char c) {
        return c < TOKEN_CHARS.length && TOKEN_CHARS[c];
    }

    private static boolean[] tokenChars() {
        boolean[] chars = new boolean[128];
        for (char c = 0; c < chars.length; c++) {
            chars[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
        }
        return chars;
    }
}
