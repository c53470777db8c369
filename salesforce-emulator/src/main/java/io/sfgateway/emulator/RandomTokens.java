package io.sfgateway.emulator;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Unpredictable session ids and refresh tokens.
 *
 * <p>The JDK's default {@code NativePRNG} reads {@code /dev/urandom} on every call, a blocking read on an event
 * loop. A DRBG instance reads the OS only when it is seeded; it is seeded here, at construction, on the thread that
 * starts the emulator, and afterwards generates in memory.
 */
final class RandomTokens {

    private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

    private final SecureRandom random;

    RandomTokens() {
        try {
            random = SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no DRBG SecureRandom", e);
        }
        random.nextBytes(new byte[16]); // seeds now, off the event loop
    }

    /** {@code <orgId>!} followed by 96 URL-safe random characters, like a Salesforce session id. */
    String accessToken(String orgId) {
        return orgId + "!" + urlSafe(72);
    }

    /** A refresh token in Salesforce's style ({@code 5Aep861…}). */
    String refreshToken() {
        return "5Aep861" + urlSafe(60);
    }

    /** {@code n} random bytes, URL-safe Base64 without padding. */
    String urlSafe(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return URL_SAFE.encodeToString(bytes);
    }
}
