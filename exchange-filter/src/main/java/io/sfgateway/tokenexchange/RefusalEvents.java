package io.sfgateway.tokenexchange;

/**
 * Hears each request the gateway refused, as it is answered (the library's
 * {@code observe.ExchangeObserver} counts them as {@code salesforce.token.exchange.refused}).
 * Called from event-loop threads: implementations must not block.
 */
@FunctionalInterface
public interface RefusalEvents {

    void refused(String registration, RefusalReason reason);

    /** Hears nothing. */
    RefusalEvents NONE = (registration, reason) -> {
    };
}
