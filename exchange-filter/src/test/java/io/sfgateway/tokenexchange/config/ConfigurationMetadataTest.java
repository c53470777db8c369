package io.sfgateway.tokenexchange.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * What an IDE shows for the library's keys: Spring Boot's configuration processor copies each
 * property's Javadoc into {@code spring-configuration-metadata.json}, where Javadoc markup would
 * show raw; the registration names and sealing key ids get hints.
 */
class ConfigurationMetadataTest {

    @Test
    void descriptionsHoldNoJavadocMarkupAndTheMapKeysHaveHints() throws IOException {
        String metadata = read("META-INF/spring-configuration-metadata.json");
        assertThat(metadata).contains("\"salesforce.token-exchange.plain-http-hosts\"")
                .doesNotContain("{@code", "{@link", "<ul>", "<li>");
        assertThat(metadata).contains("\"salesforce.token-exchange.registrations.keys\"",
                "\"salesforce.token-exchange.cache.shared.keys.keys\"");
    }

    private static String read(String resource) throws IOException {
        try (InputStream in = ConfigurationMetadataTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
