package io.sfgateway.emulator;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** A non-blocking in-memory appender (see logback-test.xml): every line logged during the test run. */
public final class CapturedLogs extends UnsynchronizedAppenderBase<ILoggingEvent> {

    private static final int MAX_LINES = 200_000;
    private static final ConcurrentLinkedQueue<String> LINES = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger SIZE = new AtomicInteger();

    @Override
    protected void append(ILoggingEvent event) {
        if (SIZE.incrementAndGet() > MAX_LINES) {
            return;
        }
        StringBuilder line = new StringBuilder(event.getLevel() + " " + event.getLoggerName() + " "
                + event.getFormattedMessage());
        for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
            line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
        }
        LINES.add(line.toString());
    }

    /** A snapshot of every captured line. */
    public static List<String> lines() {
        return new ArrayList<>(LINES);
    }
}
