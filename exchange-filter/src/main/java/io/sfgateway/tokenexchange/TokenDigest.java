package io.sfgateway.tokenexchange;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The SHA-256 of a caller's bearer token, computed once per request (by the filter, as soon as
 * the token is taken from {@code Authorization}) and handed to everything that needs to
 * recognise the token without keeping it: the verified-token memo ({@link #high()} and
 * {@link #low()}, the first 128 bits), the refusal memory, and an opaque subject's key
 * ({@link #key()}, {@code sha256:<hex>}). Never the token itself; safe to log.
 */
public final class TokenDigest {

    /** Looked up once; each thread's digest is a clone of it, so no thread looks up a provider. */
    private static final MessageDigest PROTOTYPE = sha256();
    /**
     * One SHA-256 per thread, reset by each {@code digest()}: no provider lookup and no clone (an
     * object graph per call) on a path every request takes. A digest is never shared between threads
     * nor held across a call, so the per-thread instance is always idle when it is taken.
     */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(TokenDigest::copyOfPrototype);
    private static final byte[] KEY_PREFIX = "sha256:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

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
        ByteBuffer hash = ByteBuffer.wrap(SHA_256.get().digest(token.getBytes(StandardCharsets.UTF_8)));
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
        byte[] key = new byte[KEY_PREFIX.length + 64];
        System.arraycopy(KEY_PREFIX, 0, key, 0, KEY_PREFIX.length);
        int at = hex(high, key, KEY_PREFIX.length);
        at = hex(low, key, at);
        at = hex(third, key, at);
        hex(fourth, key, at);
        return new String(key, StandardCharsets.US_ASCII); // one array and the string: built per opaque request
    }

    /** Writes {@code value}'s 16 lower-case hex digits at {@code at}; returns the index after them. */
    private static int hex(long value, byte[] into, int at) {
        for (int shift = 60; shift >= 0; shift -= 4) {
            into[at++] = HEX_DIGITS[(int) (value >>> shift) & 0xf];
        }
        return at;
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

    private static MessageDigest copyOfPrototype() {
        try {
            return (MessageDigest) PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests are cloneable", e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
