package io.sfgateway.tokenexchange.config;

import java.util.List;
import java.util.stream.Collectors;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

/**
 * Turns {@link InvalidConfigurationException} into Spring Boot's start-up failure report. The
 * environment variable that sets the key ({@link EnvironmentVariableNames}) ends the description,
 * for those who configure the gateway by environment; a message that names {@code ${VARIABLE}}s
 * already says which to set.
 */
class InvalidConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidConfigurationException> {

    private final Environment environment;

    InvalidConfigurationFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidConfigurationException cause) {
        String description = cause.getMessage();
        String variable = cause.key().contains("${") ? null : EnvironmentVariableNames.of(environment, cause.key());
        if (variable != null && !description.contains("${")) {
            description = description + " (environment variable " + variable + ")";
        }
        List<String> keys = cause.keys();
        String action = keys.size() == 1 ? "Fix '" + keys.get(0) + "' in the gateway's configuration."
                : "Fix these keys in the gateway's configuration: "
                        + keys.stream().map(key -> "'" + key + "'").collect(Collectors.joining(", ")) + ".";
        return new FailureAnalysis("Invalid Salesforce token exchange configuration: " + description, action, cause);
    }
}
