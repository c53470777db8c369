package io.sfgateway.emulator;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;

/** A complete HTTP answer, built before it is sent (so latency can be injected in between). */
record Answer(int status, String contentType, String body, Map<String, String> headers) {

    static final String JSON = "application/json;charset=UTF-8";
    static final String TEXT = "text/plain;charset=UTF-8";
    static final String HTML = "text/html;charset=UTF-8";

    static Answer json(int status, String body) {
        return new Answer(status, JSON, body, Map.of());
    }

    static Answer json(int status, Object value) {
        return json(status, Json.write(value));
    }

    static Answer text(int status, String body) {
        return new Answer(status, TEXT, body, Map.of());
    }

    static Answer empty(int status) {
        return new Answer(status, null, "", Map.of());
    }

    Answer withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new Answer(status, contentType, body, copy);
    }

    Publisher<Void> send(HttpServerResponse response) {
        response.status(HttpResponseStatus.valueOf(status));
        headers.forEach(response::header);
        if (contentType == null) {
            return response.send();
        }
        response.header(HttpHeaderNames.CONTENT_TYPE, contentType);
        return response.sendString(Mono.just(body));
    }
}
