package io.sfgateway.tokenexchange.routing;

import io.sfgateway.tokenexchange.SalesforceSession;
import org.springframework.http.server.reactive.ServerHttpResponse;

/**
 * Hears each answer Salesforce REST gave a forwarded request, once its status and headers are
 * known and before its body streams back. It must only read them, and quickly: it runs on the
 * event loop of every forwarded request.
 */
@FunctionalInterface
public interface UpstreamAnswers {

    /** Hears nothing. */
    UpstreamAnswers NONE = (session, response) -> {
    };

    /** @param session the session the request was sent with */
    void answered(SalesforceSession session, ServerHttpResponse response);
}
