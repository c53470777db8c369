package io.sfgateway.tokenexchange;

import java.util.regex.Pattern;

/**
 * A caller's bearer token where it arrived: the {@code Authorization} header's value and the
 * index the token starts at. The token becomes a string of its own only when something reads it
 * whole ({@link #value()}: a signature check, an exchange); a warm request only hashes it
 * ({@link TokenDigest#of(BearerToken)}) and so never copies it (an IdP's JWT is about a kilobyte).
 * Never log it: {@link #toString()} gives its length only.
 */
public final class BearerToken {

    private final String source;
    private final int start;
    /** Made on first use; two threads racing make two equal strings, never a wrong one. */
    private String value;

    private BearerToken(String source, int start, String value) {
        this.source = source;
        this.start = start;
        this.value = value;
    }

    /** A token given as a string of its own. */
    public static BearerToken of(String token) {
        return new BearerToken(token, 0, token);
    }

    /** The token from {@code start} to the end of {@code source} (an {@code Authorization} header's value). */
    public static BearerToken within(String source, int start) {
        if (start < 0 || start > source.length()) {
            throw new IndexOutOfBoundsException(start);
        }
        return new BearerToken(source, start, start == 0 ? source : null);
    }

    /** The token, exactly as presented. */
    public String value() {
        String token = value;
        if (token == null) {
            token = source.substring(start);
            value = token;
        }
        return token;
    }

    public int length() {
        return source.length() - start;
    }

    /** The token's {@code index}th character. */
    public char charAt(int index) {
        return source.charAt(start + index);
    }

    /** Whether the whole token matches {@code pattern}, read in place (a region of the header's value). */
    public boolean matches(Pattern pattern) {
        return pattern.matcher(source).region(start, source.length()).matches();
    }

    @Override
    public String toString() {
        return "BearerToken[" + length() + " characters]";
    }
}
