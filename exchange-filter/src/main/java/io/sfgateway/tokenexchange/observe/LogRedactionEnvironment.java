package io.sfgateway.tokenexchange.observe;

import ch.qos.logback.classic.PatternLayout;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * Installs the log redaction guard before logging starts when the application asks for it with
 * {@code salesforce.token-exchange.redact-logs=true} (the ready gateway does): Logback's message
 * and stack-trace conversions are replaced by redacting ones (so any pattern, Spring Boot's
 * default included, masks credentials), and structured logging gets
 * {@link RedactingJsonMembersCustomizer} unless another customizer is configured.
 *
 * <p>Off by default: the guard changes Logback's converters for the whole JVM, which a library
 * must not do to a host application that did not ask. The library never logs a credential in
 * the first place; the guard is a second line of defence for everything else in the process.
 */
public class LogRedactionEnvironment implements EnvironmentPostProcessor, Ordered {

    static final String ENABLED = "salesforce.token-exchange.redact-logs";
    static final String CUSTOMIZER = "logging.structured.json.customizer";
    static final String EXCEPTION_WORD = "logging.exception-conversion-word";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getProperty(ENABLED, Boolean.class, false)) {
            return;
        }
        if (ClassUtils.isPresent("ch.qos.logback.classic.PatternLayout", getClass().getClassLoader())) {
            for (String word : new String[] {"m", "msg", "message"}) {
                PatternLayout.DEFAULT_CONVERTER_SUPPLIER_MAP.put(word, RedactingMessageConverter::new);
            }
            for (String word : new String[] {"xEx", "xException", "xThrowable", "ex", "exception", "throwable"}) {
                PatternLayout.DEFAULT_CONVERTER_SUPPLIER_MAP.put(word, RedactingThrowableConverter::new);
            }
        }
        Map<String, Object> defaults = new java.util.HashMap<>();
        if (!environment.containsProperty(CUSTOMIZER)) {
            defaults.put(CUSTOMIZER, RedactingJsonMembersCustomizer.class.getName());
        }
        if (!environment.containsProperty(EXCEPTION_WORD)) {
            defaults.put(EXCEPTION_WORD, "%xEx"); // Spring Boot's own %wEx is registered per context and would bypass redaction
        }
        environment.getPropertySources().addLast(new MapPropertySource("salesforce-token-exchange-log-redaction", defaults));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
