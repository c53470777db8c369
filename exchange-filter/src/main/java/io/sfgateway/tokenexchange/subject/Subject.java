package io.sfgateway.tokenexchange.subject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Who is calling, as far as the session cache is concerned, and the token to exchange.
 *
 * <p>{@link #key()} is {@code jwt:<issuer> <subject>} when the token was validated locally, or
 * {@code sha256:<hex>} of the token otherwise (contract §5). It is also what the audit line
 * shows. {@link #toString()} never shows the token.
 */
public final class Subject {

    private final String key;
    private final String token;
    private String tokenDigest;

    private Subject(String key, String token, String tokenDigest) {
        this.key = key;
        this.token = token;
        this.tokenDigest = tokenDigest;
    }

    /** A subject validated locally: keyed by issuer and subject claim. */
    public static Subject validated(String issuer, String subject, String token) {
        return new Subject(validatedKey(issuer, subject), token, null);
    }

    /** A subject validated locally before, known by its key. */
    static Subject validatedAs(String key, String token) {
        return new Subject(key, token, null);
    }

    static String validatedKey(String issuer, String subject) {
        return "jwt:" + issuer + " " + subject;
    }

    /** A subject known only by its token: keyed by the token's SHA-256. */
    public static Subject opaque(String token) {
        String digest = sha256(token);
        return new Subject(digest, token, digest);
    }

    public String key() {
        return key;
    }

    /** The caller's token, exactly as presented. Never log it. */
    public String token() {
        return token;
    }

    /** {@code sha256:<hex>} of the token, computed on first use (the warm path never needs it). */
    public String tokenDigest() {
        String digest = tokenDigest;
        if (digest == null) {
            digest = sha256(token);
            tokenDigest = digest;
        }
        return digest;
    }

    static String sha256(String token) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    @Override
    public String toString() {
        return "Subject[" + key + "]";
    }
}
