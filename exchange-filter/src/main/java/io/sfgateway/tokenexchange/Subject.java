package io.sfgateway.tokenexchange;

import java.util.HexFormat;

/**
 * Who is calling, as far as the session cache is concerned, and the token to exchange.
 *
 * <p>{@link #key()} is {@code jwt:<issuer> <sub>} when the token was validated locally (with
 * {@code  <claim>=<value>} after it when the registration names the user by another claim), or
 * {@code sha256:<hex>} of the token otherwise (see docs/ARCHITECTURE.md). It is also what the audit line
 * shows. {@link #toString()} never shows the token.
 */
public final class Subject {

    private final String key;
    private final BearerToken token;
    private TokenDigest tokenDigest;

    private Subject(String key, BearerToken token, TokenDigest tokenDigest) {
        this.key = key;
        this.token = token;
        this.tokenDigest = tokenDigest;
    }

    /** A subject validated locally: keyed by issuer and {@code sub}. */
    public static Subject validated(String issuer, String subject, String token) {
        return new Subject(validatedKey(issuer, subject), BearerToken.of(token), null);
    }

    /**
     * A subject validated locally whose registration names the user by another claim: keyed by
     * issuer, {@code sub} and that claim, so two users sharing (or trading) a mutable claim such
     * as {@code email} never share a session, and a change of the claim means a new exchange.
     */
    public static Subject validated(String issuer, String sub, String claimName, String claimValue, String token) {
        return new Subject(validatedKey(issuer, sub, claimName, claimValue), BearerToken.of(token), null);
    }

    /** A subject validated locally before, known by its key. */
    public static Subject validatedAs(String key, String token) {
        return new Subject(key, BearerToken.of(token), null);
    }

    /** A subject validated locally, known by its key, with its token's digest already computed. */
    public static Subject validatedAs(String key, BearerToken token, TokenDigest tokenDigest) {
        return new Subject(key, token, tokenDigest);
    }

    /**
     * {@code jwt:<issuer> <sub>}, with {@code %}, space and control characters of {@code sub}
     * percent-encoded so that the first space after the issuer always ends it (an ordinary
     * {@code sub} reads as it is). The prefix of every key of that user, whatever the claim.
     */
    public static String validatedKey(String issuer, String sub) {
        return "jwt:" + issuer + " " + encode(sub);
    }

    /** {@code jwt:<issuer> <sub> <claim>=<value>}, the value encoded like {@code sub}. */
    public static String validatedKey(String issuer, String sub, String claimName, String claimValue) {
        return validatedKey(issuer, sub) + " " + claimName + "=" + encode(claimValue);
    }

    /**
     * The user a key names: {@code jwt:<issuer> <sub>} for a validated subject, whatever other
     * claim follows (an issuer is a URL, with no space in it); an opaque subject's key as it is.
     */
    public static String userKeyOf(String key) {
        if (!key.startsWith("jwt:")) {
            return key;
        }
        int endOfIssuer = key.indexOf(' ');
        int endOfSub = endOfIssuer < 0 ? -1 : key.indexOf(' ', endOfIssuer + 1);
        return endOfSub < 0 ? key : key.substring(0, endOfSub);
    }

    private static String encode(String value) {
        StringBuilder encoded = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean escape = c == '%' || c == ' ' || Character.isISOControl(c);
            if (escape && encoded == null) {
                encoded = new StringBuilder(value.length() + 8).append(value, 0, i);
            }
            if (escape) {
                encoded.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
            } else if (encoded != null) {
                encoded.append(c);
            }
        }
        return encoded == null ? value : encoded.toString();
    }

    /** A subject known only by its token: keyed by the token's SHA-256. */
    public static Subject opaque(String token) {
        BearerToken bearer = BearerToken.of(token);
        return opaque(bearer, TokenDigest.of(bearer));
    }

    /** A subject known only by its token, whose digest was computed already: keyed by it. */
    public static Subject opaque(BearerToken token, TokenDigest tokenDigest) {
        return new Subject(tokenDigest.key(), token, tokenDigest);
    }

    public String key() {
        return key;
    }

    /** The caller's token, exactly as presented. Never log it. */
    public String token() {
        return token.value();
    }

    /**
     * The token's SHA-256: the one the filter computed when it took the token, or computed now
     * for a subject made without it.
     */
    public TokenDigest tokenDigest() {
        TokenDigest digest = tokenDigest;
        if (digest == null) {
            digest = TokenDigest.of(token);
            tokenDigest = digest;
        }
        return digest;
    }

    @Override
    public String toString() {
        return "Subject[" + key + "]";
    }
}
