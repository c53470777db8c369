package io.sfgateway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

/**
 * {@link AsyncAuditLog}: the audit line leaves the event loop through a bounded, never-blocking
 * queue that drops nothing early, to Spring Boot's own console appender (pattern or structured);
 * other loggers stay synchronous; an operator's own logging configuration is left alone.
 */
@ExtendWith(OutputCaptureExtension.class)
class AuditLogAppenderTest {

    private final LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());

    @BeforeEach
    @AfterEach
    void cleanUp() {
        logging.cleanUp();
        // Boot hands logging.structured.format.console to Logback as a system property, which outlives a run.
        System.clearProperty("CONSOLE_LOG_STRUCTURED_FORMAT");
    }

    private LoggerContext bootLogging(MockEnvironment environment) {
        logging.beforeInitialize();
        logging.initialize(new LoggingInitializationContext(environment), null, null);
        return (LoggerContext) LoggerFactory.getILoggerFactory();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ecs"})
    void theAuditLoggerWritesAsynchronouslyToBootsConsoleAndNothingElseDoes(String structuredFormat, CapturedOutput output) {
        MockEnvironment environment = new MockEnvironment();
        if (!structuredFormat.isEmpty()) {
            environment.setProperty("logging.structured.format.console", structuredFormat);
        }
        LoggerContext context = bootLogging(environment);
        AsyncAuditLog.install(environment);
        AsyncAuditLog.install(environment); // idempotent

        Logger audit = context.getLogger(AsyncAuditLog.AUDIT_LOGGER);
        assertThat(audit.isAdditive()).as("audit lines are not written twice").isFalse();
        AsyncAppender async = (AsyncAppender) audit.getAppender(AsyncAuditLog.APPENDER);
        assertThat(async.isStarted()).isTrue();
        assertThat(async.isNeverBlock()).isTrue();
        assertThat(async.getDiscardingThreshold()).isZero();
        assertThat(async.getQueueSize()).isEqualTo(8192);
        assertThat(async.isIncludeCallerData()).isFalse();
        assertThat(audit.iteratorForAppenders()).toIterable().hasSize(1);

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        ConsoleAppender<?> console = (ConsoleAppender<?>) root.getAppender("CONSOLE");
        assertThat(async.getAppender("CONSOLE")).as("one console appender for both").isSameAs(console);
        assertThat(root.iteratorForAppenders()).toIterable().allSatisfy(
                appender -> assertThat(appender).isNotInstanceOf(AsyncAppender.class));
        assertThat(console.getEncoder())
                .isInstanceOf(structuredFormat.isEmpty() ? PatternLayoutEncoder.class : StructuredLogEncoder.class);

        String marker = "audit-marker-" + structuredFormat;
        audit.info("{\"outcome\":\"success\",\"marker\":\"" + marker + "\"}");
        async.stop(); // drains the queue
        assertThat(output.getOut().lines().filter(line -> line.contains(marker))).singleElement()
                .satisfies(line -> assertThat(line.startsWith("{")).isEqualTo(!structuredFormat.isEmpty()));
    }

    @Test
    void anOperatorsOwnLoggingConfigurationIsLeftAlone() {
        MockEnvironment environment = new MockEnvironment();
        LoggerContext context = bootLogging(environment);
        environment.setProperty("logging.config", "classpath:their-logback.xml");
        AsyncAuditLog.install(environment);
        Logger audit = context.getLogger(AsyncAuditLog.AUDIT_LOGGER);
        assertThat(audit.iteratorForAppenders().hasNext()).isFalse();
        assertThat(audit.isAdditive()).isTrue();
    }
}
