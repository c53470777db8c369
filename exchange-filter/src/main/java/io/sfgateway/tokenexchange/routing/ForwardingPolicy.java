package io.sfgateway.tokenexchange.routing;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpResponse;

/**
 * One registration's rules for what crosses the gateway besides the session: where the session
 * may go ({@link SessionPaths}), the caller headers and query parameters Salesforce never sees,
 * and the Salesforce answer headers the caller never sees. Configured per registration
 * ({@code salesforce.token-exchange.registrations.<name>.session-paths},
 * {@code stripped-request-headers}, {@code stripped-query-parameters},
 * {@code stripped-response-headers}).
 */
public final class ForwardingPolicy {

    private final SessionPaths sessionPaths;
    private final List<String> strippedRequestHeaders;
    private final Set<String> strippedQueryParameters;
    private final List<String> strippedResponseHeaders;

    public ForwardingPolicy(List<String> sessionPaths, List<String> strippedRequestHeaders,
            List<String> strippedQueryParameters, List<String> strippedResponseHeaders) {
        this.sessionPaths = new SessionPaths(sessionPaths);
        this.strippedRequestHeaders = lowerCase(strippedRequestHeaders);
        this.strippedQueryParameters = strippedQueryParameters.stream()
                .map(name -> name.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.strippedResponseHeaders = lowerCase(strippedResponseHeaders);
    }

    /**
     * Header names compare case-insensitively, so lower-casing them once changes nothing but the
     * cost: Spring's writable headers lower-case every name they are asked about, which is free
     * (no new string) for a name that is lower-case already.
     */
    private static List<String> lowerCase(List<String> headerNames) {
        return headerNames.stream().map(name -> name.toLowerCase(Locale.ROOT)).toList();
    }

    /**
     * The defaults: the REST API and Apex REST, the paths whose session handling the gateway
     * knows (a 401 {@code INVALID_SESSION_ID} renews and replays); no cookies, session headers or
     * access_token either way. Bulk API 1.0 ({@code /services/async/}) and SOAP
     * ({@code /services/Soap/}) report a dead session otherwise (Bulk 1.0: HTTP 400
     * {@code InvalidSessionId}; SOAP: a 500 fault) and are opt-in.
     */
    public static ForwardingPolicy defaults() {
        return new ForwardingPolicy(List.of("/services/data/", "/services/apexrest/"),
                List.of("Cookie", "X-SFDC-Session"), List.of("access_token"), List.of("Set-Cookie"));
    }

    public SessionPaths sessionPaths() {
        return sessionPaths;
    }

    /** Removes the configured caller headers (the caller's {@code Connection} is honoured separately). */
    public void stripRequestHeaders(HttpHeaders headers) {
        for (int i = 0; i < strippedRequestHeaders.size(); i++) {
            headers.remove(strippedRequestHeaders.get(i));
        }
    }

    /** Removes the configured Salesforce answer headers; an answer already committed is left as it is. */
    public void stripResponseHeaders(ServerHttpResponse response) {
        if (response.isCommitted()) {
            return;
        }
        stripResponseHeaders(response.getHeaders());
    }

    public void stripResponseHeaders(HttpHeaders headers) {
        for (int i = 0; i < strippedResponseHeaders.size(); i++) {
            headers.remove(strippedResponseHeaders.get(i));
        }
    }

    /**
     * The raw query without the stripped parameters (names compared case-insensitively after
     * percent-decoding, so {@code access%5Ftoken} goes too), or {@code null} when nothing is left.
     */
    public String stripQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty() || strippedQueryParameters.isEmpty()) {
            return rawQuery;
        }
        StringBuilder kept = new StringBuilder(rawQuery.length());
        int start = 0;
        while (start <= rawQuery.length()) {
            int end = rawQuery.indexOf('&', start);
            if (end < 0) {
                end = rawQuery.length();
            }
            String pair = rawQuery.substring(start, end);
            if (!pair.isEmpty() && !isStripped(pair)) {
                if (!kept.isEmpty()) {
                    kept.append('&');
                }
                kept.append(pair);
            }
            start = end + 1;
        }
        return kept.isEmpty() ? null : kept.toString();
    }

    private boolean isStripped(String pair) {
        int equals = pair.indexOf('=');
        String rawName = equals < 0 ? pair : pair.substring(0, equals);
        String name = QueryNames.decode(rawName);
        return name == null || strippedQueryParameters.contains(name.trim().toLowerCase(Locale.ROOT));
    }
}
