package io.sfgateway.tokenexchange;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
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
     * One SHA-256 per thread with its buffers, reused by each {@link #of}: no provider lookup, no
     * clone and no copy of the token on a path every request takes. A hasher is never shared
     * between threads nor held across a call, so the per-thread one is always idle when taken.
     */
    private static final ThreadLocal<Hasher> HASHERS = ThreadLocal.withInitial(Hasher::new);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
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
        return of(BearerToken.of(token));
    }

    /** The digest of {@code token} (UTF-8), read where it arrived: the token is not copied out first. */
    public static TokenDigest of(BearerToken token) {
        return HASHERS.get().digest(token);
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

    /**
     * A thread's SHA-256 and its two buffers. {@code String.getBytes} would copy the token into a
     * new array on every request (a bearer JWT is about a kilobyte); a b64token is ASCII, so its
     * characters are its UTF-8 bytes and go into a buffer kept for the next request instead.
     */
    private static final class Hasher {

        /** Up to this many bytes the buffer is kept; a longer token's is not (tokens are capped at 10,000). */
        private static final int KEPT = 16 * 1024;

        private final MessageDigest sha256 = copyOfPrototype();
        private final byte[] hash = new byte[32];
        private byte[] bytes = new byte[2048];

        TokenDigest digest(BearerToken token) {
            int length = token.length();
            byte[] into = length <= bytes.length ? bytes : new byte[length];
            for (int i = 0; i < length; i++) {
                char c = token.charAt(i);
                if (c >= 0x80) {
                    sha256.update(token.value().getBytes(StandardCharsets.UTF_8)); // not a b64token: its UTF-8 bytes
                    return finish();
                }
                into[i] = (byte) c;
            }
            if (into != bytes && length <= KEPT) {
                bytes = into;
            }
            sha256.update(into, 0, length);
            return finish();
        }

        private TokenDigest finish() {
            try {
                sha256.digest(hash, 0, hash.length);
            } catch (DigestException e) {
                throw new IllegalStateException("a 32-byte buffer holds a SHA-256", e);
            }
            return new TokenDigest((long) LONGS.get(hash, 0), (long) LONGS.get(hash, 8), (long) LONGS.get(hash, 16),
                    (long) LONGS.get(hash, 24));
        }
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
