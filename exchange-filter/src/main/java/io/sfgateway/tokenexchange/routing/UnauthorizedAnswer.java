package io.sfgateway.tokenexchange.routing;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.CLIENT_RESPONSE_CONN_ATTR;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A 401 from Salesforce, told apart by its body: only Salesforce's session error
 * ({@code [{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]}, or the
 * same as XML) means the request never ran and may be replayed with a fresh session. Any other
 * 401, such as an Apex REST resource's own after it did its work, goes back to the caller
 * untouched: status, headers and body.
 *
 * <p>Only the first {@value #HEAD_LIMIT} bytes are read to decide (Salesforce's error is a few
 * dozen); a longer body is not a session error, and streams on to the caller behind its head.
 * The body is taken from the routing filter's connection here, so Spring Cloud Gateway's
 * {@code NettyWriteResponseFilter} finds no connection left to write from and this class writes
 * the answer itself.
 */
final class UnauthorizedAnswer {

    static final int HEAD_LIMIT = 8 * 1024;

    private static final String SESSION_ERROR = "INVALID_SESSION_ID";
    private static final Pattern XML_SESSION_ERROR = Pattern.compile("<errorCode>\\s*INVALID_SESSION_ID\\s*</errorCode>");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private UnauthorizedAnswer() {
    }

    /**
     * Reads the head of the 401's body. When it is Salesforce's session error,
     * {@code onInvalidSession} is asked what to do: a replay (run once the 401's body has been read
     * to its end and released), or {@code null} to pass the 401 back anyway. Any other 401 is
     * passed back.
     */
    static Mono<Void> handle(ServerWebExchange exchange, Supplier<Mono<Void>> onInvalidSession) {
        Connection connection = exchange.getAttribute(CLIENT_RESPONSE_CONN_ATTR);
        if (connection == null) {
            return Mono.empty(); // nothing to read: the answer stands as it is
        }
        exchange.getAttributes().remove(CLIENT_RESPONSE_CONN_ATTR);
        ServerHttpResponse response = exchange.getResponse();
        Flux<DataBuffer> body = connection.inbound().receive().retain().map(buffer -> wrap(buffer, response));
        return body.bufferUntil(new PastHead())
                .switchOnFirst((first, whole) -> {
                    Flux<DataBuffer> buffers = whole.concatMapIterable(list -> list);
                    Mono<Void> replay = first.hasValue() && saysInvalidSession(first.get()) ? onInvalidSession.get() : null;
                    if (replay == null) {
                        return response.writeWith(buffers);
                    }
                    return buffers.doOnNext(DataBufferUtils::release).then(replay);
                })
                .doOnDiscard(Object.class, UnauthorizedAnswer::release)
                .then();
    }

    static boolean saysInvalidSession(List<DataBuffer> head) {
        int length = 0;
        for (DataBuffer buffer : head) {
            length += buffer.readableByteCount();
        }
        if (length > HEAD_LIMIT) {
            return false;
        }
        byte[] bytes = new byte[length];
        int offset = 0;
        for (DataBuffer buffer : head) {
            int count = buffer.readableByteCount();
            buffer.toByteBuffer(buffer.readPosition(), ByteBuffer.wrap(bytes), offset, count);
            offset += count;
        }
        return saysInvalidSession(bytes);
    }

    /** Salesforce's REST error array whose first error is {@code INVALID_SESSION_ID}, or its XML form. */
    static boolean saysInvalidSession(byte[] body) {
        int first = 0;
        while (first < body.length && Character.isWhitespace(body[first])) {
            first++;
        }
        if (first < body.length && body[first] == '<') {
            return XML_SESSION_ERROR.matcher(new String(body, StandardCharsets.UTF_8)).find();
        }
        try {
            JsonNode errors = JSON.readTree(body);
            return errors != null && errors.isArray() && !errors.isEmpty()
                    && SESSION_ERROR.equals(errors.get(0).path("errorCode").asString(null));
        } catch (JacksonException notJson) {
            return false;
        }
    }

    private static DataBuffer wrap(ByteBuf buffer, ServerHttpResponse response) {
        if (response.bufferFactory() instanceof NettyDataBufferFactory netty) {
            return netty.wrap(buffer);
        }
        try {
            byte[] bytes = new byte[buffer.readableBytes()];
            buffer.readBytes(bytes);
            return DefaultDataBufferFactory.sharedInstance.wrap(bytes);
        } finally {
            buffer.release();
        }
    }

    private static void release(Object discarded) {
        if (discarded instanceof DataBuffer buffer) {
            DataBufferUtils.release(buffer);
        } else if (discarded instanceof List<?> list) {
            list.forEach(UnauthorizedAnswer::release);
        }
    }

    /**
     * Cuts the body after the head: the first list holds the buffers up to the one that crosses
     * {@link #HEAD_LIMIT} (all of them when the body is shorter); every later buffer comes alone.
     */
    private static final class PastHead implements Predicate<DataBuffer> {

        private long seen;

        @Override
        public boolean test(DataBuffer buffer) {
            seen += buffer.readableByteCount();
            return seen > HEAD_LIMIT;
        }
    }
}
