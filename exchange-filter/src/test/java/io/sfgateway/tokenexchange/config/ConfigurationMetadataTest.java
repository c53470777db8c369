package io.sfgateway.tokenexchange.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * What an IDE shows for the library's keys: Spring Boot's configuration processor copies each
 * property's Javadoc into {@code spring-configuration-metadata.json}, where Javadoc markup would
 * show raw; the registration names and sealing key ids get hints.
 */
class ConfigurationMetadataTest {

    @Test
    void descriptionsHoldNoJavadocMarkupAndTheMapKeysHaveHints() throws IOException {
        // The main build's file (the test sources' processor writes one of its own, first on the class path).
        String metadata = Files.readString(Path.of("target/classes/META-INF/spring-configuration-metadata.json"));
        assertThat(metadata).contains("\"salesforce.token-exchange.plain-http-hosts\"")
                .doesNotContain("{@code", "{@link", "<ul>", "<li>");
        assertThat(metadata).contains("\"salesforce.token-exchange.registrations.keys\"",
                "\"salesforce.token-exchange.cache.shared.keys.keys\"");
    }
}
