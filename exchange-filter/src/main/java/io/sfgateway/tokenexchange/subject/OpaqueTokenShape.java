package io.sfgateway.tokenexchange.subject;

import io.sfgateway.tokenexchange.BearerToken;
import java.util.regex.Pattern;

/**
 * The quick check an opaque token passes before anything is spent on it (see the README's caller table, opaque
 * mode): at least {@code minLength} characters and, when the IdP's format is known, a match of
 * {@code pattern} over the whole token. The charset (an RFC 6750 b64token) and the 10,000
 * character ceiling are already checked by {@link BearerTokens}.
 *
 * @param pattern the whole token must match it; {@code null} for any b64token
 */
public record OpaqueTokenShape(int minLength, Pattern pattern) {

    public static final OpaqueTokenShape ANY = new OpaqueTokenShape(1, null);

    /** Read where the token arrived: a warm request's check copies nothing. */
    public boolean fits(BearerToken token) {
        return token.length() >= minLength && (pattern == null || token.matches(pattern));
    }
}
