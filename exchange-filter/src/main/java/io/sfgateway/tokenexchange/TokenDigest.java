package io.sfgateway.tokenexchange;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of a caller's bearer token, computed once per request (by the filter, as soon as
 * the token is taken from {@code Authorization}) and handed to everything that needs to
 * recognise the token without keeping it: the verified-token memo ({@link #high()} and
 * {@link #low()}, the first 128 bits), the refusal memory, and an opaque subject's key
 * ({@link #key()}, {@code sha256:<hex>}). Never the token itself; safe to log.
 */
public final class TokenDigest {

    private static final MessageDigest SHA_256 = sha256();
    private static final HexFormat HEX = HexFormat.of();

    private final long high;
    private final long low;
    private final long third;
    private final long fourth;

    private TokenDigest(long high, long low, long third, long fourth) {
        this.high = high;
        this.low = low;
        this.third = third;
        this.fourth = fourth;
    }

    /** The digest of {@code token} (UTF-8). */
    public static TokenDigest of(String token) {
        MessageDigest sha;
        try {
            sha = (MessageDigest) SHA_256.clone(); // cheaper than a provider lookup per request
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests are cloneable", e);
        }
        ByteBuffer hash = ByteBuffer.wrap(sha.digest(token.getBytes(StandardCharsets.UTF_8)));
        return new TokenDigest(hash.getLong(), hash.getLong(), hash.getLong(), hash.getLong());
    }

    /** The first 64 bits of the hash. */
    public long high() {
        return high;
    }

    /** The next 64 bits: with {@link #high()}, the 128 bits memos keep. */
    public long low() {
        return low;
    }

    /** {@code sha256:<64 hex digits>}: an opaque token's subject key. Built on each call. */
    public String key() {
        return new StringBuilder(71).append("sha256:").append(HEX.toHexDigits(high)).append(HEX.toHexDigits(low))
                .append(HEX.toHexDigits(third)).append(HEX.toHexDigits(fourth)).toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TokenDigest that && high == that.high && low == that.low && third == that.third
                && fourth == that.fourth;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(high);
    }

    @Override
    public String toString() {
        return key();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
