package io.sfgateway.emulator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Salesforce record ids: a 3-character key prefix, 12 characters, and the 3-character case-safe suffix. */
final class SalesforceIds {

    private static final String SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private SalesforceIds() {
    }

    /** The 18-character id for a key prefix and a sequence number, e.g. {@code 001000000000001AAA}. */
    static String sequential(String keyPrefix, long sequence) {
        String body = Long.toString(sequence);
        if (body.length() > 12) {
            throw new IllegalArgumentException("sequence too large");
        }
        return withSuffix(keyPrefix + "0".repeat(12 - body.length()) + body);
    }

    /** A deterministic 18-character id derived from a name (the same name always gives the same id). */
    static String derived(String keyPrefix, String name) {
        byte[] hash = sha256(name);
        StringBuilder id = new StringBuilder(keyPrefix);
        for (int i = 0; i < 12; i++) {
            id.append(BASE62.charAt((hash[i] & 0xff) % BASE62.length()));
        }
        return withSuffix(id.toString());
    }

    /** Appends the case-safe suffix to a 15-character id: one character per 5, encoding which are upper case. */
    static String withSuffix(String id15) {
        if (id15.length() != 15) {
            throw new IllegalArgumentException("a 15-character id is needed");
        }
        StringBuilder id = new StringBuilder(id15);
        for (int chunk = 0; chunk < 3; chunk++) {
            int bits = 0;
            for (int i = 0; i < 5; i++) {
                char c = id15.charAt(chunk * 5 + i);
                if (c >= 'A' && c <= 'Z') {
                    bits |= 1 << i;
                }
            }
            id.append(SUFFIX_ALPHABET.charAt(bits));
        }
        return id.toString();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
