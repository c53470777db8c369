package io.sfgateway.tokenexchange.check;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The {@link SalesforceCheck} of each configured registration, by name. */
public final class SalesforceChecks {

    private final Map<String, SalesforceCheck> byName;

    public SalesforceChecks(Map<String, SalesforceCheck> byName) {
        this.byName = Map.copyOf(byName);
    }

    public Optional<SalesforceCheck> find(String registration) {
        return Optional.ofNullable(registration == null ? null : byName.get(registration));
    }

    public Set<String> names() {
        return byName.keySet();
    }
}
