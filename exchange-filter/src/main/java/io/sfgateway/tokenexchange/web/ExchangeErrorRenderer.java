package io.sfgateway.tokenexchange.web;

import io.sfgateway.tokenexchange.routing.SessionPaths;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Answers a request the filter refuses. The library's bean is {@link ErrorResponseWriter} (the
 * documented status codes, {@code WWW-Authenticate}, {@code Retry-After} and a small fixed JSON
 * body); an application bean of this type replaces it, to render refusals in its own format.
 * Whatever the format, a renderer must not echo the token, the path or Salesforce's words.
 */
public interface ExchangeErrorRenderer {

    /**
     * Answers a refusal. The filter calls it only with an
     * {@link io.sfgateway.tokenexchange.InvalidSubjectException} or an
     * {@link io.sfgateway.tokenexchange.ExchangeFailure} (see {@link ErrorResponseWriter#handles});
     * if the response is already committed the renderer should propagate {@code error} instead.
     */
    Mono<Void> write(ServerWebExchange exchange, String registration, Throwable error);

    /** Answers a request whose path may not carry a session (a dot segment, or outside the session paths). */
    Mono<Void> refusePath(ServerWebExchange exchange, String registration, SessionPaths.Verdict verdict);
}
