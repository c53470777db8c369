package io.sfgateway.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Profiles;
import org.springframework.core.io.ClassPathResource;
import org.springframework.util.StringUtils;

/**
 * Applies {@code salesforce-env.yml}, the registration and route read from environment variables,
 * only when {@code SF_LOGIN_URL} is set or the {@code env} profile is active. So the jar also runs on
 * the operator's own YAML alone ({@code --spring.config.additional-location}), with no variable set.
 * The file goes below every other source: the operator's YAML overrides its values key by key.
 */
public class EnvironmentRegistration implements EnvironmentPostProcessor, Ordered {

    /** Applies the environment-driven registration even when {@code SF_LOGIN_URL} is not set. */
    public static final String PROFILE = "env";
    static final String LOGIN_URL_VARIABLE = "SF_LOGIN_URL";
    private static final String FILE = "salesforce-env.yml";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!StringUtils.hasText(environment.getProperty(LOGIN_URL_VARIABLE))
                && !environment.acceptsProfiles(Profiles.of(PROFILE))) {
            return;
        }
        try {
            new YamlPropertySourceLoader().load(FILE, new ClassPathResource(FILE))
                    .forEach(source -> environment.getPropertySources().addLast(source));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + FILE + " from the gateway's jar", e);
        }
    }

    /** After the configuration files and any post-processor that supplies the variables (the demo's). */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
