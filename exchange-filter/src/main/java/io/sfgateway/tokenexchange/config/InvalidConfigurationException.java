package io.sfgateway.tokenexchange.config;

/** A configuration problem that stops start-up; names the key to fix. */
public class InvalidConfigurationException extends IllegalStateException {

    private final String key;

    public InvalidConfigurationException(String key, String problem) {
        super(key + ": " + problem);
        this.key = key;
    }

    /** The full configuration key at fault, e.g. {@code salesforce.token-exchange.registrations.acme.client-id}. */
    public String key() {
        return key;
    }
}
