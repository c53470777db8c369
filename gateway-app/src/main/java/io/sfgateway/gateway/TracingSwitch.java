package io.sfgateway.gateway;

import java.util.Map;
import java.util.stream.Stream;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Traces are on exactly when there is somewhere to send them: OpenTelemetry
 * ({@value #ENABLED}) is turned on when an OTLP traces endpoint is configured
 * ({@value #ENDPOINT}, or the standard {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} or
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT}), and off otherwise, so a gateway without a collector
 * records no span at all. An explicit {@value #ENABLED} (or {@code OTEL_SDK_DISABLED}) wins.
 *
 * <p>Why own code: Spring Boot exports traces only when an endpoint is set, but it still creates
 * and samples spans without one; it has no switch that follows the endpoint's presence.
 */
public class TracingSwitch implements EnvironmentPostProcessor, Ordered {

    static final String ENABLED = "management.opentelemetry.enabled";
    static final String ENDPOINT = "management.opentelemetry.tracing.export.otlp.endpoint";
    private static final String SDK_DISABLED = "OTEL_SDK_DISABLED";
    private static final String[] OTEL_ENDPOINTS = {"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT"};
    static final String SOURCE = "salesforceGatewayTracingSwitch";
    private static final String CONTEXT = "io.opentelemetry.context.Context";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.containsProperty(ENABLED) && !environment.containsProperty(SDK_DISABLED)) {
            boolean endpoint = Stream.concat(Stream.of(ENDPOINT), Stream.of(OTEL_ENDPOINTS))
                    .anyMatch(name -> StringUtils.hasText(environment.getProperty(name)));
            environment.getPropertySources().addLast(new MapPropertySource(SOURCE, Map.of(ENABLED, Boolean.toString(endpoint))));
        }
        if (environment.getProperty(ENABLED, Boolean.class, false) && ClassUtils.isPresent(CONTEXT, null)) {
            // OpenTelemetry finds its context storage with a ServiceLoader (a jar read) on first use; the first
            // span is often started on an event loop (Redis's handshake, a request), so do that read here.
            io.opentelemetry.context.Context.current();
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
