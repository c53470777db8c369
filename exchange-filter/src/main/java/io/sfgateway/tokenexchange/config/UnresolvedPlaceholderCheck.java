package io.sfgateway.tokenexchange.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Stops start-up when a registration value still holds a {@code ${VARIABLE}} placeholder that
 * nothing resolves. Spring Boot's binder leaves such a placeholder in place, so without this check
 * a missing {@code SF_CLIENT_ID} would become the client id {@code "${SF_CLIENT_ID}"}.
 *
 * <p>Runs on the environment before the properties are bound, so it covers every registration key
 * whatever its type (a URI would otherwise fail binding with a less direct message). Only the
 * value the binder will use is checked: the highest-precedence source that defines the key (or,
 * for a list element, the list). Every unresolved placeholder is reported in one message, naming
 * each key and variable, never the value.
 */
final class UnresolvedPlaceholderCheck {

    private static final ConfigurationPropertyName REGISTRATIONS =
            ConfigurationPropertyName.of("salesforce.token-exchange.registrations");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:]*)");

    private UnresolvedPlaceholderCheck() {
    }

    static void check(ConfigurableEnvironment environment) {
        List<ConfigurationPropertySource> sources = toList(ConfigurationPropertySources.get(environment));
        Set<ConfigurationPropertyName> names = new LinkedHashSet<>();
        for (ConfigurationPropertySource source : sources) {
            if (source instanceof IterableConfigurationPropertySource iterable) {
                iterable.filter(REGISTRATIONS::isAncestorOf).stream().forEach(names::add);
            }
        }
        PropertySourcesPlaceholdersResolver resolver = new PropertySourcesPlaceholdersResolver(environment);
        Map<String, Set<String>> unresolved = new LinkedHashMap<>();
        for (ConfigurationPropertyName name : names) {
            ConfigurationProperty property = effective(sources, name);
            if (property == null || !(property.getValue() instanceof String raw)) {
                continue;
            }
            Matcher variables = PLACEHOLDER.matcher(String.valueOf(resolver.resolvePlaceholders(raw)));
            while (variables.find()) {
                unresolved.computeIfAbsent(name.toString(), key -> new LinkedHashSet<>()).add(variables.group(1));
            }
        }
        if (!unresolved.isEmpty()) {
            throw refusal(unresolved);
        }
    }

    /** One message for every unresolved placeholder, so one restart shows them all. */
    private static InvalidConfigurationException refusal(Map<String, Set<String>> unresolved) {
        if (unresolved.size() == 1 && unresolved.values().iterator().next().size() == 1) {
            Map.Entry<String, Set<String>> only = unresolved.entrySet().iterator().next();
            String variable = only.getValue().iterator().next();
            return new InvalidConfigurationException(only.getKey(), "${" + variable
                    + "} is not set: set the environment variable or property " + variable + ", or give the key a value");
        }
        Set<String> variables = new LinkedHashSet<>();
        unresolved.values().forEach(variables::addAll);
        StringBuilder message = new StringBuilder();
        unresolved.forEach((key, names) -> message.append(message.isEmpty() ? "" : "; ").append(key).append(": ")
                .append(names.stream().map(variable -> "${" + variable + "}").collect(Collectors.joining(" and ")))
                .append(" is not set"));
        message.append(" (").append(unresolved.size()).append(" keys): set the environment variables or properties ")
                .append(String.join(", ", variables)).append(", or give the keys values");
        return new InvalidConfigurationException(new ArrayList<>(unresolved.keySet()), message.toString());
    }

    /**
     * The property the binder will read for {@code name}: from the first source that defines it,
     * unless a list it belongs to comes from a higher-precedence source (a list is bound from one
     * source only), in which case this source's element is never read.
     */
    private static ConfigurationProperty effective(List<ConfigurationPropertySource> sources,
            ConfigurationPropertyName name) {
        ConfigurationPropertyName list = listOf(name);
        for (ConfigurationPropertySource source : sources) {
            ConfigurationProperty property = source.getConfigurationProperty(name);
            if (property != null) {
                return property;
            }
            if (list != null && (source.getConfigurationProperty(list) != null
                    || source.containsDescendantOf(list) == ConfigurationPropertyState.PRESENT)) {
                return null; // a higher source defines the list without this element
            }
        }
        return null;
    }

    /** The list that holds {@code name} when {@code name} is a list element ({@code scopes[0]}), else null. */
    private static ConfigurationPropertyName listOf(ConfigurationPropertyName name) {
        for (int i = name.getNumberOfElements() - 1; i > 0; i--) {
            if (name.isNumericIndex(i)) {
                return name.chop(i);
            }
        }
        return null;
    }

    private static List<ConfigurationPropertySource> toList(Iterable<ConfigurationPropertySource> sources) {
        List<ConfigurationPropertySource> list = new ArrayList<>();
        sources.forEach(list::add);
        return list;
    }
}
