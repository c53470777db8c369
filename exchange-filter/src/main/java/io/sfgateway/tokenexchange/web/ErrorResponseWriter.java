package io.sfgateway.tokenexchange.web;

import io.sfgateway.tokenexchange.ExchangeFailure;
import io.sfgateway.tokenexchange.RefusalEvents;
import io.sfgateway.tokenexchange.RefusalReason;
import io.sfgateway.tokenexchange.routing.SessionPaths;
import io.sfgateway.tokenexchange.InvalidSubjectException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The library's {@link ExchangeErrorRenderer}, the one place a refused request is answered (see
 * the README's caller table): status, RFC 6750 {@code WWW-Authenticate}, {@code Retry-After}, and
 * a small fixed JSON body. The details go to
 * the log; nothing from the token, Salesforce's {@code error_description} or the stack reaches
 * the caller.
 */
public final class ErrorResponseWriter implements ExchangeErrorRenderer {

    private static final Logger log = LoggerFactory.getLogger(ErrorResponseWriter.class);
    private static final long DEFAULT_RETRY_AFTER_SECONDS = 5;

    /** A fixed answer. */
    private enum Answer {
        MISSING_TOKEN(HttpStatus.UNAUTHORIZED, "Bearer", "unauthorized",
                "A bearer token is required."),
        INVALID_TOKEN(HttpStatus.UNAUTHORIZED, "Bearer error=\"invalid_token\"", "invalid_token",
                "The bearer token is invalid, expired or not accepted."),
        BAD_GATEWAY(HttpStatus.BAD_GATEWAY, null, "bad_gateway",
                "Salesforce sign-in failed at the gateway."),
        UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, null, "temporarily_unavailable",
                "Salesforce sign-in is temporarily unavailable; retry later."),
        TOO_MANY_REQUESTS(HttpStatus.TOO_MANY_REQUESTS, null, "too_many_requests",
                "Too many new tokens; retry later."),
        API_LIMIT(HttpStatus.TOO_MANY_REQUESTS, null, "too_many_requests",
                "The Salesforce org's daily API requests are nearly spent; retry later."),
        DOT_SEGMENTS(HttpStatus.BAD_REQUEST, null, "invalid_request",
                "The path holds a dot segment or an encoding the gateway does not accept."),
        OUTSIDE_SESSION_PATHS(HttpStatus.NOT_FOUND, null, "not_found",
                "The path is not served through this gateway.");

        final HttpStatus status;
        final String challenge;
        final byte[] body;

        Answer(HttpStatus status, String challenge, String error, String description) {
            this.status = status;
            this.challenge = challenge;
            this.body = ("{\"error\":\"" + error + "\",\"error_description\":\"" + description + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Whether {@code error} is one this writer answers (everything else is the gateway's own business). */
    public static boolean handles(Throwable error) {
        return error instanceof InvalidSubjectException || error instanceof ExchangeFailure;
    }

    private final RefusalEvents events;

    /** Counts nothing. */
    public ErrorResponseWriter() {
        this(RefusalEvents.NONE);
    }

    /** @param events hears each refusal (the library's observer counts {@code salesforce.token.exchange.refused}) */
    public ErrorResponseWriter(RefusalEvents events) {
        this.events = Objects.requireNonNull(events, "events");
    }

    @Override
    public Mono<Void> write(ServerWebExchange exchange, String registration, Throwable error) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(error);
        }
        Answer answer;
        RefusalReason reason;
        long retryAfter = 0;
        if (error instanceof InvalidSubjectException invalid) {
            answer = invalid.reason() == InvalidSubjectException.Reason.MISSING ? Answer.MISSING_TOKEN : Answer.INVALID_TOKEN;
            reason = answer == Answer.MISSING_TOKEN ? RefusalReason.MISSING_TOKEN : RefusalReason.INVALID_TOKEN;
            // DEBUG, not one INFO line per refused request (anyone can send them); counted below instead. The
            // detail may quote the request: InvalidSubjectException escaped and capped it (LogSafe), so it cannot
            // forge a line.
            log.debug("Refused request on registration {} ({}): {}", registration, reason.tag(), invalid.getMessage());
        } else if (error instanceof ExchangeFailure failure) {
            answer = switch (failure.kind()) {
                case SUBJECT_REJECTED -> Answer.INVALID_TOKEN;
                case GATEWAY_REJECTED, SESSION_UNACCEPTABLE -> Answer.BAD_GATEWAY;
                case UNAVAILABLE, TIMEOUT, CIRCUIT_OPEN -> Answer.UNAVAILABLE;
                case RATE_LIMITED -> Answer.TOO_MANY_REQUESTS;
                case API_LIMIT -> Answer.API_LIMIT;
            };
            reason = switch (failure.kind()) {
                case SUBJECT_REJECTED -> RefusalReason.SUBJECT_REJECTED;
                case GATEWAY_REJECTED, SESSION_UNACCEPTABLE -> RefusalReason.BAD_GATEWAY;
                case UNAVAILABLE, TIMEOUT, CIRCUIT_OPEN -> RefusalReason.UNAVAILABLE;
                case RATE_LIMITED -> RefusalReason.RATE_LIMITED;
                case API_LIMIT -> RefusalReason.API_LIMIT_SHED;
            };
            retryAfter = failure.retryAfterSeconds() > 0 ? failure.retryAfterSeconds() : DEFAULT_RETRY_AFTER_SECONDS;
            // The failed exchange itself is logged once by SessionService (and circuit breaker transitions by
            // ExchangeGuard): one line per answer would repeat it for every caller that joined it, and for every
            // request refused while the breaker is open.
            log.debug("Answered {} on registration {} ({})", answer.status.value(), registration, failure.kind());
        } else {
            return Mono.error(error);
        }
        return answer(exchange, response, registration, answer, reason, retryAfter);
    }

    /**
     * Refuses a request whose path may not carry a session: 400 for a dot segment in any
     * encoding, 404 for a path outside the registration's session paths. Nothing of the path is
     * logged or echoed.
     */
    @Override
    public Mono<Void> refusePath(ServerWebExchange exchange, String registration, SessionPaths.Verdict verdict) {
        boolean dots = verdict == SessionPaths.Verdict.DOT_SEGMENTS;
        log.debug("Refused a request on registration {}: path {}", registration, verdict);
        return answer(exchange, exchange.getResponse(), registration, dots ? Answer.DOT_SEGMENTS : Answer.OUTSIDE_SESSION_PATHS,
                dots ? RefusalReason.DOT_SEGMENTS : RefusalReason.OUTSIDE_SESSION_PATHS, 0);
    }

    private Mono<Void> answer(ServerWebExchange exchange, ServerHttpResponse response, String registration, Answer answer,
            RefusalReason reason, long retryAfter) {
        events.refused(registration, reason);
        forgetUpstreamHeaders(exchange, response);
        response.setStatusCode(answer.status);
        HttpHeaders headers = response.getHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.setContentLength(answer.body.length);
        headers.setCacheControl("no-store");
        if (answer.challenge != null) {
            headers.set(HttpHeaders.WWW_AUTHENTICATE, answer.challenge);
        }
        if (answer.status == HttpStatus.SERVICE_UNAVAILABLE || answer.status == HttpStatus.TOO_MANY_REQUESTS) {
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
        }
        return response.writeWith(Mono.just(response.bufferFactory().wrap(answer.body)));
    }

    /** After a stale-session replay failed, the first upstream answer's headers must not leak out. */
    private static void forgetUpstreamHeaders(ServerWebExchange exchange, ServerHttpResponse response) {
        Set<String> upstream = exchange.getAttribute(ServerWebExchangeUtils.CLIENT_RESPONSE_HEADER_NAMES);
        if (upstream != null) {
            upstream.forEach(response.getHeaders()::remove);
        }
    }
}
