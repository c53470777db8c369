package io.sfgateway.tokenexchange.e2e;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.LoggerFactory;

/**
 * Every log line of the test JVM, with its stack trace, from the moment it is installed, so a
 * test can prove that no token, secret or session id was ever logged.
 */
final class CapturedLogs extends AppenderBase<ILoggingEvent> {

    private static final CapturedLogs INSTANCE = new CapturedLogs();

    private final Queue<String> lines = new ConcurrentLinkedQueue<>();

    static synchronized CapturedLogs install() {
        if (!INSTANCE.isStarted()) {
            LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
            INSTANCE.setContext(context);
            INSTANCE.setName("captured-for-secret-scan");
            INSTANCE.start();
            context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(INSTANCE);
        }
        // Spring Boot resets logging when a context starts; re-attaching is idempotent.
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME);
        if (root.getAppender(INSTANCE.getName()) == null) {
            root.addAppender(INSTANCE);
        }
        return INSTANCE;
    }

    @Override
    protected void append(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(event.getLoggerName()).append(' ').append(event.getFormattedMessage());
        if (event.getKeyValuePairs() != null) {
            // Structured fields (the audit line's) as Logback's %kvp prints them: scanned for secrets like the rest.
            event.getKeyValuePairs().forEach(pair -> line.append(' ').append(pair.key).append("=\"")
                    .append(pair.value).append('"'));
        }
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            line.append('\n').append(ThrowableProxyUtil.asString(thrown));
        }
        lines.add(line.toString());
    }

    List<String> lines() {
        return new ArrayList<>(lines);
    }

    List<String> linesContaining(String text) {
        return lines.stream().filter(line -> line.contains(text)).toList();
    }
}
