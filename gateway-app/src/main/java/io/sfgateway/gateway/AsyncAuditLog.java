package io.sfgateway.gateway;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

/**
 * Writes the audit line ({@code salesforce.token-exchange.audit}) through a Logback
 * {@link AsyncAppender} in front of Spring Boot's console appender, once Boot has set logging up.
 *
 * <p>Why: the audit line is written on the event loop that completes an exchange, on the cold
 * request's path, and the console write costs more CPU there than building the line (a profile put
 * it at about 80 of the 140 µs the line cost). The queue is bounded (8,192 lines); {@code neverBlock}
 * drops a line when it is full (stdout stalled) rather than park an event loop, so a stuck log pipe
 * never stops the gateway serving; {@code discardingThreshold} 0 drops nothing before that (Logback's
 * default drops INFO once the queue is 80 % full); no caller data (a stack walk). Every other logger
 * stays synchronous, as Boot sets it up, so warnings and errors are never lost.
 *
 * <p>Done here rather than in a {@code logback-spring.xml}: Boot chooses between its pattern and its
 * structured console appender ({@code logging.structured.format.console}) in code, and a Logback file
 * could only make that choice with Janino. Nothing is changed when the operator brings a logging
 * configuration of their own ({@code logging.config}) or gives the audit logger appenders.
 */
public class AsyncAuditLog implements ApplicationListener<ApplicationPreparedEvent> {

    static final String AUDIT_LOGGER = "salesforce.token-exchange.audit";
    static final String APPENDER = "AUDIT_ASYNC";
    static final int QUEUE_SIZE = 8192;

    @Override
    public void onApplicationEvent(ApplicationPreparedEvent event) {
        install(event.getApplicationContext().getEnvironment());
    }

    /** Installs the appender unless logging is someone else's; idempotent. */
    static void install(Environment environment) {
        if (environment.containsProperty("logging.config")
                || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Appender<ILoggingEvent> console = context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("CONSOLE");
        Logger audit = context.getLogger(AUDIT_LOGGER);
        if (console == null || audit.iteratorForAppenders().hasNext()) {
            return;
        }
        AsyncAppender async = new AsyncAppender();
        async.setContext(context);
        async.setName(APPENDER);
        async.setQueueSize(QUEUE_SIZE);
        async.setDiscardingThreshold(0);
        async.setNeverBlock(true);
        async.setIncludeCallerData(false);
        async.addAppender(console);
        async.start();
        audit.addAppender(async);
        audit.setAdditive(false);
    }
}
