package io.sfgateway.tokenexchange.web;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The configured registrations by name. */
public final class ExchangeRegistrations {

    private final Map<String, ExchangeRegistration> byName;

    public ExchangeRegistrations(Map<String, ExchangeRegistration> byName) {
        this.byName = Map.copyOf(byName);
    }

    public Optional<ExchangeRegistration> find(String name) {
        return Optional.ofNullable(name == null ? null : byName.get(name));
    }

    public Set<String> names() {
        return byName.keySet();
    }
}
