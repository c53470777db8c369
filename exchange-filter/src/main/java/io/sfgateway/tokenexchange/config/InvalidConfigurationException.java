package io.sfgateway.tokenexchange.config;

import java.util.List;

/** A configuration problem that stops start-up; names the key (or keys) to fix. */
public class InvalidConfigurationException extends IllegalStateException {

    private final List<String> keys;

    public InvalidConfigurationException(String key, String problem) {
        super(key + ": " + problem);
        this.keys = List.of(key);
    }

    /** Several keys at fault, reported together; {@code message} names each. */
    InvalidConfigurationException(List<String> keys, String message) {
        super(message);
        this.keys = List.copyOf(keys);
    }

    /** The full configuration key at fault (the first, when several are), e.g. {@code salesforce.token-exchange.registrations.acme.client-id}. */
    public String key() {
        return keys.get(0);
    }

    /** Every key at fault, in the order reported. */
    public List<String> keys() {
        return keys;
    }
}
