package io.sfgateway.emulator;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A REST request as the emulator received it (test-only view).
 *
 * @param method  HTTP method, e.g. {@code GET}
 * @param path    the path without the query string
 * @param query   the raw query string without {@code ?}, or {@code ""}
 * @param headers the request headers; lookups by name are case-insensitive
 * @param body    the body as UTF-8 text, or {@code ""}
 */
public record RecordedRequest(String method, String path, String query, Map<String, List<String>> headers,
        String body) {

    public RecordedRequest {
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        headers = Collections.unmodifiableMap(copy);
        query = query == null ? "" : query;
        body = body == null ? "" : body;
    }

    /** Redacts credentials, in case the record ends up in a log or an assertion message. */
    @Override
    public String toString() {
        StringBuilder shown = new StringBuilder();
        headers.forEach((name, values) -> shown.append(shown.length() == 0 ? "" : ", ").append(name).append('=')
                .append(name.equalsIgnoreCase("Authorization") || name.equalsIgnoreCase("Cookie") ? "<redacted>"
                        : values));
        return "RecordedRequest[method=" + method + ", path=" + path + ", query=" + query + ", headers={" + shown
                + "}, body=" + body.length() + " chars]";
    }

    /** The first value of a header, or {@code null}. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
