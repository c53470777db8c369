package io.sfgateway.tokenexchange.check;

import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The {@link SalesforceCheck} of each configured registration, by name. A check is built when it
 * is asked for, so a gateway that never checks builds nothing (and says no start-up warning twice).
 */
public final class SalesforceChecks {

    private final Set<String> names;
    private final Function<String, SalesforceCheck> build;

    /** @param build the check of one of {@code names} */
    public SalesforceChecks(Set<String> names, Function<String, SalesforceCheck> build) {
        this.names = Set.copyOf(names);
        this.build = build;
    }

    public Optional<SalesforceCheck> find(String registration) {
        return registration != null && names.contains(registration) ? Optional.of(build.apply(registration))
                : Optional.empty();
    }

    public Set<String> names() {
        return names;
    }
}
