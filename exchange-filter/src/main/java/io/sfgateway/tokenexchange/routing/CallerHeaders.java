package io.sfgateway.tokenexchange.routing;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.http.HttpHeaders;

/**
 * Honours the caller's {@code Connection} header before the gateway sets its own headers.
 *
 * <p>Spring Cloud Gateway's {@code RemoveHopByHopHeadersFilter} runs inside the routing filter,
 * after this filter has set the Salesforce {@code Authorization}, and removes every header the
 * request's {@code Connection} header names. A caller sending {@code Connection: Authorization}
 * would thus strip the Salesforce session from the request and make every call a 401. Here the
 * named headers are removed first (RFC 9110 §7.6.1: they were meant for this hop only), then
 * {@code Connection} itself; what the gateway sets afterwards can no longer be named away. The
 * framing and routing headers ({@code Content-Length}, {@code Transfer-Encoding}, {@code Host})
 * are left to the HTTP layer.
 */
public final class CallerHeaders {

    private static final Set<String> LEFT_TO_THE_HTTP_LAYER = Set.of("content-length", "transfer-encoding", "host");
    /** Lower-case: the writable headers' case-insensitive lookup then needs no new string. */
    private static final String CONNECTION = "connection";

    private CallerHeaders() {
    }

    /** Removes the headers the caller's {@code Connection} header names, then {@code Connection}. */
    public static void honourConnection(HttpHeaders headers) {
        if (!headers.containsHeader(CONNECTION)) {
            return;
        }
        List<String> named = headers.getConnection();
        for (String name : named) {
            String trimmed = name.trim();
            if (!trimmed.isEmpty() && !LEFT_TO_THE_HTTP_LAYER.contains(trimmed.toLowerCase(Locale.ROOT))) {
                headers.remove(trimmed);
            }
        }
        headers.remove(CONNECTION);
    }
}
