package io.sfgateway.tokenexchange.exchange;

import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.ExchangeFailure;
import io.sfgateway.tokenexchange.ExchangeFailure.Kind;
import java.util.concurrent.TimeoutException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * The non-blocking client of one registration's Salesforce token endpoint: posts the RFC 8693
 * form (see docs/ARCHITECTURE.md) and answers a {@link SalesforceSession} or fails with an
 * {@link ExchangeFailure}, never anything else.
 *
 * <p>It does not time out, retry or limit concurrency itself; {@code resilience} wraps it.
 * The shared {@link WebClient} brings the connection pool, connect and response timeouts,
 * the response-size cap, and does not follow redirects.
 */
public final class TokenExchanger {

    private final WebClient webClient;
    private final ExchangeSettings settings;
    private final TokenResponseParser parser;

    public TokenExchanger(WebClient webClient, ExchangeSettings settings) {
        this.webClient = webClient;
        this.settings = settings;
        this.parser = new TokenResponseParser(settings, System::currentTimeMillis);
    }

    public ExchangeSettings settings() {
        return settings;
    }

    /** Exchanges {@code subjectToken}, sent exactly as the caller presented it. */
    public Mono<SalesforceSession> exchange(String subjectToken) {
        return webClient.post()
                .uri(settings.tokenEndpoint())
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .accept(MediaType.APPLICATION_JSON)
                .body(BodyInserters.fromFormData(form(subjectToken)))
                .exchangeToMono(response -> read(response, subjectToken))
                .onErrorMap(error -> !(error instanceof ExchangeFailure), TokenExchanger::classify);
    }

    /** The RFC 8693 form; optional fields only when configured. */
    MultiValueMap<String, String> form(String subjectToken) {
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>(8);
        form.add("grant_type", settings.grantType());
        form.add("subject_token", subjectToken);
        form.add("subject_token_type", settings.subjectTokenType());
        form.add("client_id", settings.clientId());
        if (settings.clientSecret() != null) {
            form.add("client_secret", settings.clientSecret());
        }
        if (settings.scope() != null) {
            form.add("scope", settings.scope());
        }
        if (settings.tokenHandler() != null) {
            form.add("token_handler", settings.tokenHandler());
        }
        return form;
    }

    private Mono<SalesforceSession> read(ClientResponse response, String subjectToken) {
        HttpStatusCode status = response.statusCode();
        if (status.is2xxSuccessful()) {
            return body(response).map(parser::session);
        }
        if (status.value() == 429) {
            return response.releaseBody().then(Mono.error(new ExchangeFailure(Kind.UNAVAILABLE,
                    "token endpoint is rate limiting (HTTP 429)", retryAfterSeconds(response))));
        }
        if (status.is4xxClientError()) {
            long retryAfter = retryAfterSeconds(response);
            return body(response).flatMap(body -> Mono.error(parser.refusal(status.value(), body, subjectToken, retryAfter)));
        }
        Kind kind = status.is5xxServerError() ? Kind.UNAVAILABLE : Kind.SESSION_UNACCEPTABLE;
        return response.releaseBody()
                .then(Mono.error(new ExchangeFailure(kind, "token endpoint answered HTTP " + status.value())));
    }

    private static long retryAfterSeconds(ClientResponse response) {
        String value = response.headers().asHttpHeaders().getFirst("Retry-After");
        try {
            return value == null ? 0 : Math.max(0, Math.min(3600, Long.parseLong(value.strip())));
        } catch (NumberFormatException httpDate) {
            return 0;
        }
    }

    private static Mono<byte[]> body(ClientResponse response) {
        return response.bodyToMono(byte[].class).defaultIfEmpty(new byte[0]);
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
