package io.sfgateway.tokenexchange.shared;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a shared store is built from.
 *
 * @param sealingKeyId the key that seals new values; among {@code keys}
 * @param keys key id to 32 raw bytes: every one opens values, the sealing key also seals
 * @param timeout the longest one Redis call may take
 * @param lockTtl how long an exchange lock lives (longer than an exchange may take)
 * @param registrations every registration whose sessions the store keeps
 */
public record SharedStoreSettings(String sealingKeyId, Map<String, byte[]> keys, Duration timeout, Duration lockTtl,
        List<StoredRegistration> registrations) {
}
