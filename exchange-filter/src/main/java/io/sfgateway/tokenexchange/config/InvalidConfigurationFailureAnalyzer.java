package io.sfgateway.tokenexchange.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns {@link InvalidConfigurationException} into Spring Boot's start-up failure report. */
class InvalidConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidConfigurationException cause) {
        return new FailureAnalysis("Invalid Salesforce token exchange configuration: " + cause.getMessage(),
                "Fix '" + cause.key() + "' in the gateway's configuration.", cause);
    }
}
