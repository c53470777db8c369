package io.sfgateway.tokenexchange.exchange;

import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.ExchangeFailure;
import io.sfgateway.tokenexchange.ExchangeFailure.Kind;
import java.time.Clock;
import java.util.concurrent.TimeoutException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import reactor.core.publisher.Mono;

/**
 * The non-blocking client of one registration's Salesforce token endpoint: posts the RFC 8693
 * form (see docs/ARCHITECTURE.md) and answers a {@link SalesforceSession} or fails with an
 * {@link ExchangeFailure}, never anything else.
 *
 * <p>It does not time out, retry or limit concurrency itself; {@link ExchangeGuard} wraps it.
 * The {@link TokenEndpointTransport} brings the connection pool, connect and response timeouts,
 * the response-size cap, and does not follow redirects.
 */
public final class TokenExchanger {

    private final TokenEndpointTransport transport;
    private final ExchangeSettings settings;
    private final TokenForm form;
    private final TokenResponseParser parser;

    /** @param clock a session's issue time when Salesforce sends none, and the end of a throttled user's hour */
    public TokenExchanger(TokenEndpointTransport transport, ExchangeSettings settings, Clock clock) {
        this.transport = transport;
        this.settings = settings;
        this.form = new TokenForm(settings);
        this.parser = new TokenResponseParser(settings, clock::millis);
    }

    public ExchangeSettings settings() {
        return settings;
    }

    /** Exchanges {@code subjectToken}, sent exactly as the caller presented it. */
    public Mono<SalesforceSession> exchange(String subjectToken) {
        return Mono.defer(() -> transport.post(settings.client().tokenEndpoint(), form.with(subjectToken)))
                .map(answer -> read(answer, subjectToken))
                .onErrorMap(error -> !(error instanceof ExchangeFailure), TokenExchanger::classify);
    }

    /**
     * Exchanges {@code subjectToken} once for a person checking the registration: the session or
     * the classified failure, as {@link #exchange} would end, together with what else Salesforce
     * answered. Never fails; nothing is cached or stored.
     */
    public Mono<InspectedExchange> inspect(String subjectToken) {
        return Mono.defer(() -> transport.post(settings.client().tokenEndpoint(), form.with(subjectToken)))
                .map(answer -> inspected(answer, subjectToken))
                .onErrorResume(error -> Mono.just(new InspectedExchange(null,
                        error instanceof ExchangeFailure failure ? failure : classify(error), null, null)));
    }

    private InspectedExchange inspected(TokenEndpointTransport.Answer answer, String subjectToken) {
        int status = answer.status();
        TokenAnswerFields fields = status >= 200 && status < 300 ? parser.fields(answer.body()) : null;
        String oauthError = status >= 400 && status < 500 ? TokenResponseParser.oauthError(answer.body()) : null;
        try {
            return new InspectedExchange(read(answer, subjectToken), null, fields, oauthError);
        } catch (ExchangeFailure failure) {
            return new InspectedExchange(null, failure, fields, oauthError);
        }
    }

    private SalesforceSession read(TokenEndpointTransport.Answer answer, String subjectToken) {
        int status = answer.status();
        if (status >= 200 && status < 300) {
            return parser.session(answer.body());
        }
        if (status == 429) {
            throw new ExchangeFailure(Kind.UNAVAILABLE, "token endpoint is rate limiting (HTTP 429)",
                    retryAfterSeconds(answer.retryAfter()));
        }
        if (status >= 400 && status < 500) {
            throw parser.refusal(status, answer.body(), subjectToken, retryAfterSeconds(answer.retryAfter()));
        }
        Kind kind = status >= 500 && status < 600 ? Kind.UNAVAILABLE : Kind.SESSION_UNACCEPTABLE;
        throw new ExchangeFailure(kind, "token endpoint answered HTTP " + status + (status >= 300 && status < 400
                ? " (a redirect: login-url is not a token endpoint host, or the My Domain was renamed; use the"
                        + " current My Domain or site URL)" : ""));
    }

    private static long retryAfterSeconds(String value) {
        try {
            return value == null ? 0 : Math.max(0, Math.min(3600, Long.parseLong(value.strip())));
        } catch (NumberFormatException httpDate) {
            return 0;
        }
    }

    private static ExchangeFailure classify(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof DataBufferLimitException) {
                return new ExchangeFailure(Kind.SESSION_UNACCEPTABLE, "token response larger than the size cap");
            }
            if (cause instanceof TimeoutException || cause instanceof io.netty.handler.timeout.TimeoutException) {
                return new ExchangeFailure(Kind.TIMEOUT, "token endpoint did not answer in time");
            }
        }
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new ExchangeFailure(Kind.UNAVAILABLE, "token endpoint unreachable: " + root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + root.getMessage()));
    }
}
