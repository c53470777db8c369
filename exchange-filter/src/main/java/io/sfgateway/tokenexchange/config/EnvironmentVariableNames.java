package io.sfgateway.tokenexchange.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.Environment;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The environment variable that sets a configuration key, for start-up messages read by people
 * who configure the gateway by environment (the ready jar, its image): the variable a
 * {@code ${VARIABLE}} placeholder in the value the binder reads names (the ready gateway maps
 * {@code cache.shared.key-id} to {@code SF_CACHE_SHARED_KEY_ID} that way), else Spring Boot's own
 * relaxed name for the key ({@code SALESFORCE_TOKENEXCHANGE_CACHE_SHARED_KEYS_K1}).
 */
final class EnvironmentVariableNames {

    private static final Pattern PLACEHOLDER = Pattern.compile("^\\$\\{([A-Za-z0-9_]+)[:}]");

    private EnvironmentVariableNames() {
    }

    /** The variable for {@code key}, or {@code null} when the key is not one a variable can name. */
    static String of(Environment environment, String key) {
        if (!ConfigurationPropertyName.isValid(key)) {
            return null;
        }
        ConfigurationPropertyName name = ConfigurationPropertyName.of(key);
        if (environment instanceof ConfigurableEnvironment configurable) {
            for (ConfigurationPropertySource source : ConfigurationPropertySources.get(configurable)) {
                ConfigurationProperty property = source.getConfigurationProperty(name);
                if (property != null) {
                    Matcher placeholder = property.getValue() instanceof String raw ? PLACEHOLDER.matcher(raw.strip()) : null;
                    if (placeholder != null && placeholder.find()) {
                        return placeholder.group(1);
                    }
                    break; // the binder reads this source's value: a literal, or a placeholder of another shape
                }
            }
        }
        return relaxed(name);
    }

    /** Spring Boot's environment-variable form: upper case, dashes removed, elements joined by {@code _}. */
    static String relaxed(ConfigurationPropertyName name) {
        StringBuilder variable = new StringBuilder();
        for (int i = 0; i < name.getNumberOfElements(); i++) {
            if (i > 0) {
                variable.append('_');
            }
            variable.append(name.getElement(i, ConfigurationPropertyName.Form.UNIFORM).toUpperCase(Locale.ROOT));
        }
        return variable.toString();
    }
}
