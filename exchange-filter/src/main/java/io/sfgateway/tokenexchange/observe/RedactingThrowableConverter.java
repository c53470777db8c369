package io.sfgateway.tokenexchange.observe;

import ch.qos.logback.classic.pattern.ExtendedThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;

/** Stack traces (exception messages may quote a request), passed through {@link LogRedaction}. */
public class RedactingThrowableConverter extends ExtendedThrowableProxyConverter {

    @Override
    protected String throwableProxyToString(IThrowableProxy proxy) {
        return LogRedaction.redact(super.throwableProxyToString(proxy));
    }
}
