package io.sfgateway.emulator;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/** {@code POST /services/oauth2/token}: the token exchange grant, with injected faults and latency. */
final class TokenEndpoint {

    static final String PATH = "/services/oauth2/token";

    private static final Logger log = LoggerFactory.getLogger(TokenEndpoint.class);
    private static final String FORM = "application/x-www-form-urlencoded";

    private final ExchangeRequestChecks checks;
    private final SessionIssuer issuer;
    private final EmulatorControls controls;
    private final EmulatorCounters counters;

    TokenEndpoint(ExchangeRequestChecks checks, SessionIssuer issuer, EmulatorControls controls,
            EmulatorCounters counters) {
        this.checks = checks;
        this.issuer = issuer;
        this.controls = controls;
        this.counters = counters;
    }

    Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        return handle(request, response, null);
    }

    /** @param siteUrl the Experience Cloud site the request came through (host and prefix), or {@code null} */
    Mono<Void> handle(HttpServerRequest request, HttpServerResponse response, String siteUrl) {
        if (!HttpMethod.POST.equals(request.method())) {
            return Mono.from(Answer.json(400, Json.oauthError("invalid_request", "must use HTTP POST"))
                    .send(response));
        }
        counters.tokenRequest();
        String contentType = request.requestHeaders().get(HttpHeaderNames.CONTENT_TYPE);
        return request.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                .flatMap(body -> answer(contentType, body, siteUrl))
                .transform(answer -> Latency.delay(answer, controls.tokenLatency(), Latency.eventLoopOf(request)))
                .flatMap(answer -> Mono.from(answer.send(response)));
    }

    /** The answer to one request; for {@link TokenFault#HANG} a Mono that never emits. */
    private Mono<Answer> answer(String contentType, String body, String siteUrl) {
        Map<String, String> form;
        try {
            form = FormBody.parse(body);
        } catch (IllegalArgumentException e) {
            log.debug("token request refused: malformed form (bad percent-encoding or a repeated field)");
            return Mono.just(new ExchangeRequestChecks.Refused("invalid_request", "malformed request").answer());
        }
        counters.tokenForm(form);
        TokenFault fault = controls.tokenFault();
        switch (fault) {
            case HANG:
                log.debug("token request: fault HANG, not answering");
                return Mono.never();
            case INVALID_GRANT:
                return Mono.just(ExchangeRequestChecks.INVALID_GRANT.answer());
            case INVALID_CLIENT:
                return Mono.just(ExchangeRequestChecks.INVALID_CLIENT.answer());
            case UNKNOWN_ERROR:
                return Mono.just(Answer.json(400, Json.oauthError("unknown_error", "retry your request")));
            case SERVER_ERROR:
                return Mono.just(Answer.json(500, Json.oauthError("server_error", "internal server error")));
            case UNAVAILABLE:
                return Mono.just(Answer.json(503,
                        Json.oauthError("temporarily_unavailable", "service temporarily unavailable")));
            case NON_JSON:
                return Mono.just(new Answer(200, Answer.HTML,
                        "<html><head><title>Maintenance</title></head><body>Down for maintenance</body></html>",
                        Map.of()));
            default:
                break;
        }
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(FORM)) {
            return Mono.just(new ExchangeRequestChecks.Refused("invalid_request",
                    "content type must be " + FORM).answer());
        }
        ExchangeRequestChecks.Outcome outcome = checks.check(form);
        if (outcome instanceof ExchangeRequestChecks.Refused refused) {
            return Mono.just(refused.answer());
        }
        Map<String, Object> success = issuer.issue((ExchangeRequestChecks.Granted) outcome, fault, siteUrl);
        return Mono.just(Answer.json(200, success).withHeader("Cache-Control", "no-cache,no-store"));
    }
}
