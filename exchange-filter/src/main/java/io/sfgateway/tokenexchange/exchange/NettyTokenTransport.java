package io.sfgateway.tokenexchange.exchange;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.sfgateway.tokenexchange.ExchangeFailure;
import io.sfgateway.tokenexchange.ExchangeFailure.Kind;
import java.net.URI;
import java.util.Arrays;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientResponse;

/**
 * The token request on Reactor Netty's {@link HttpClient} itself: the pre-encoded form goes out as
 * one buffer, and the answer's body is copied once into a byte array, capped.
 *
 * <p>Where it runs: the client shares Reactor Netty's global event loops with the gateway's server,
 * and those loops are <em>colocated</em> (the default): a connection opened from a server event
 * loop is registered on that same loop, so the request is written, and its answer read, on the
 * thread that serves the caller, with no hand-over to another loop. A pooled connection opened
 * earlier by another loop keeps that loop; Reactor Netty offers no per-loop pool for HTTP/1.1.
 */
final class NettyTokenTransport implements TokenEndpointTransport {

    private static final String FORM = HttpHeaderValues.APPLICATION_X_WWW_FORM_URLENCODED.toString();
    private static final String JSON = HttpHeaderValues.APPLICATION_JSON.toString();

    private final HttpClient post;
    private final int maxResponseBytes;

    NettyTokenTransport(HttpClient httpClient, int maxResponseBytes) {
        // Headers every token request carries, configured once (each HttpClient call copies its configuration).
        this.post = httpClient.headers(headers -> headers
                .set(HttpHeaderNames.CONTENT_TYPE, FORM)
                .set(HttpHeaderNames.ACCEPT, JSON));
        this.maxResponseBytes = maxResponseBytes;
    }

    @Override
    public Mono<Answer> post(URI endpoint, byte[] form) {
        return post.post()
                .uri(endpoint)
                .send((request, out) -> {
                    request.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(form.length));
                    return out.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(form)));
                })
                .response(this::answer)
                .single();
    }

    private Mono<Answer> answer(HttpClientResponse response, ByteBufFlux body) {
        int status = response.status().code();
        String retryAfter = response.responseHeaders().get("Retry-After");
        if (!TokenEndpointTransport.bodyMatters(status)) {
            return body.then(Mono.just(new Answer(status, retryAfter, Bytes.EMPTY)));
        }
        return body.collect(() -> new Bytes(maxResponseBytes), Bytes::append)
                .map(bytes -> new Answer(status, retryAfter, bytes.toArray()));
    }

    /**
     * A growing copy of the body; Reactor Netty releases each buffer after it is handed on.
     * (Reactor Netty's own aggregation has no size cap, hence this.)
     */
    private static final class Bytes {

        static final byte[] EMPTY = new byte[0];

        private final int max;
        private byte[] bytes = EMPTY;
        private int length;

        Bytes(int max) {
            this.max = max;
        }

        void append(ByteBuf buffer) {
            int readable = buffer.readableBytes();
            if (readable > max - length) {
                throw new ExchangeFailure(Kind.SESSION_UNACCEPTABLE, "token response larger than the size cap");
            }
            if (length + readable > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.min(max, Math.max(length + readable, Math.max(1024, bytes.length * 2))));
            }
            buffer.getBytes(buffer.readerIndex(), bytes, length, readable);
            length += readable;
        }

        byte[] toArray() {
            return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
        }
    }
}
