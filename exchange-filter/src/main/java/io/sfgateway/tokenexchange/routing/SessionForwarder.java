package io.sfgateway.tokenexchange.routing;

import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.CLIENT_RESPONSE_CONN_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.CLIENT_RESPONSE_HEADER_NAMES;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;

import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.session.SessionRenewal;
import java.net.URI;
import java.util.Objects;
import java.util.Set;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

/**
 * Sends the caller's request to the session's Salesforce instance (steps 4 and 5 of a request).
 * <ul>
 *   <li>The URL becomes the session's {@code instance_url} (already allowlisted) plus the
 *       route's path and query, less the registration's stripped query parameters
 *       ({@code access_token}); {@code Authorization} becomes the Salesforce access token, so the
 *       caller's IdP token reaches no header Salesforce sees. The caller's {@code Connection}
 *       header is honoured before that ({@link CallerHeaders}), so it cannot name the Salesforce
 *       token away, and the registration's stripped headers ({@code Cookie},
 *       {@code X-SFDC-Session}) go too; Salesforce's {@code Set-Cookie} never comes back.</li>
 *   <li>When Salesforce answers 401 {@code INVALID_SESSION_ID} (session revoked or expired early)
 *       the session is evicted, renewed and the request replayed once, if its body was kept for a
 *       replay: at most the replay limit, and within the global {@link ReplayBudget}. Otherwise
 *       the 401 goes back to the caller and the stale session is already gone. Any other 401 goes
 *       back untouched ({@link UnauthorizedAnswer}), and a subject whose session was replaced a
 *       moment ago keeps it ({@link SessionRenewal#evict} declines).</li>
 * </ul>
 * It runs after Spring Cloud Gateway's {@code RouteToRequestUrlFilter}; the gateway's routing
 * filter streams the call and its answer.
 */
public final class SessionForwarder {

    private static final String CONTENT_LENGTH = "content-length";
    private static final String TRANSFER_ENCODING = "transfer-encoding";

    private final long replayLimitBytes;
    private final ReplayBudget budget;

    public SessionForwarder(long replayLimitBytes) {
        this(replayLimitBytes, new ReplayBudget(Integer.MAX_VALUE));
    }

    public SessionForwarder(long replayLimitBytes, ReplayBudget budget) {
        this.replayLimitBytes = replayLimitBytes;
        this.budget = budget;
    }

    public Mono<Void> forward(ServerWebExchange exchange, GatewayFilterChain chain, SalesforceSession session,
            SessionRenewal renewal) {
        return forward(exchange, chain, session, renewal, ForwardingPolicy.defaults());
    }

    public Mono<Void> forward(ServerWebExchange exchange, GatewayFilterChain chain, SalesforceSession session,
            SessionRenewal renewal, ForwardingPolicy policy) {
        return forward(exchange, chain, session, renewal, policy, UpstreamAnswers.NONE);
    }

    /** @param answers hears each answer Salesforce gives (the one replayed after a stale session too) */
    public Mono<Void> forward(ServerWebExchange exchange, GatewayFilterChain chain, SalesforceSession session,
            SessionRenewal renewal, ForwardingPolicy policy, UpstreamAnswers answers) {
        Sending sending = new Sending(chain, renewal, policy, answers);
        HttpHeaders headers = exchange.getRequest().getHeaders();
        // Lower-case names: the case-insensitive map lower-cases a name it is asked for, a new string
        // per lookup unless the name is lower-case already.
        String contentLength = headers.getFirst(CONTENT_LENGTH);
        long length = contentLength != null ? Long.parseLong(contentLength) : -1;
        boolean hasBody = length > 0 || headers.containsHeader(TRANSFER_ENCODING);
        if (!hasBody) {
            return send(exchange, sending, session, true);
        }
        if (length > 0 && length <= replayLimitBytes && budget.tryTake(length)) {
            return ServerWebExchangeUtils.cacheRequestBody(exchange, cached ->
                            send(exchange.mutate().request(cached).build(), sending, session, true))
                    .doFinally(signal -> budget.giveBack(length));
        }
        return send(exchange, sending, session, false);
    }

    /** What one forwarded request is sent through. */
    private record Sending(GatewayFilterChain chain, SessionRenewal renewal, ForwardingPolicy policy,
            UpstreamAnswers answers) {
    }

    private Mono<Void> send(ServerWebExchange exchange, Sending sending, SalesforceSession session, boolean replayable) {
        GatewayFilterChain chain = sending.chain();
        SessionRenewal renewal = sending.renewal();
        ForwardingPolicy policy = sending.policy();
        // The route's own URL: the replay moves it onto the renewed session's instance again, not the URL already
        // moved (which holds a site's prefix: it would be added twice).
        URI routed = exchange.getRequiredAttribute(GATEWAY_REQUEST_URL_ATTR);
        return chain.filter(toSalesforce(exchange, session, policy)).then(Mono.defer(() -> {
            sending.answers().answered(session, exchange.getResponse());
            policy.stripResponseHeaders(exchange.getResponse());
            if (exchange.getResponse().getStatusCode() != HttpStatus.UNAUTHORIZED) {
                return Mono.empty();
            }
            return UnauthorizedAnswer.handle(exchange, () -> {
                if (!renewal.evict(session) || !replayable) {
                    return null; // the 401 goes back; after an eviction the next request exchanges again
                }
                return Mono.defer(() -> {
                    discardUpstreamAnswer(exchange); // before renewing: if that fails, only the error is written
                    return renewal.renewed().flatMap(fresh -> chain.filter(toSalesforce(routedTo(exchange, routed), fresh, policy))
                            .then(Mono.fromRunnable(() -> {
                                sending.answers().answered(fresh, exchange.getResponse());
                                policy.stripResponseHeaders(exchange.getResponse());
                            })));
                });
            });
        }));
    }

    private static ServerWebExchange routedTo(ServerWebExchange exchange, URI routed) {
        exchange.getAttributes().put(GATEWAY_REQUEST_URL_ATTR, routed);
        return exchange;
    }

    /** The request as Salesforce gets it: instance URL and Salesforce access token. */
    static ServerWebExchange toSalesforce(ServerWebExchange exchange, SalesforceSession session, ForwardingPolicy policy) {
        URI routed = exchange.getRequiredAttribute(GATEWAY_REQUEST_URL_ATTR);
        exchange.getAttributes().put(GATEWAY_REQUEST_URL_ATTR, onInstance(routed, session.instanceUrl(), policy));
        ServerHttpRequest request = exchange.getRequest().mutate()
                .headers(headers -> {
                    CallerHeaders.honourConnection(headers);
                    policy.stripRequestHeaders(headers);
                    headers.setBearerAuth(session.accessToken());
                })
                .build();
        return exchange.mutate().request(request).build();
    }

    /**
     * The routed URL moved onto the instance. When the route already points at the instance (its
     * URI is the org's My Domain, which is also the session's {@code instance_url}), with no site
     * prefix to add and nothing in the query to strip, the routed URL is that URL already and is
     * kept: no string is built and parsed again on every warm request.
     */
    static URI onInstance(URI routed, URI instance, ForwardingPolicy policy) {
        String query = policy.stripQuery(routed.getRawQuery());
        if (alreadyOn(routed, instance) && Objects.equals(query, routed.getRawQuery())) {
            return routed;
        }
        StringBuilder url = new StringBuilder(128)
                .append(instance.getScheme()).append("://").append(instance.getRawAuthority());
        String site = instance.getRawPath(); // an Experience Cloud site's prefix (allowlisted), else "" or "/"
        if (site != null && site.length() > 1) {
            url.append(site, 0, site.endsWith("/") ? site.length() - 1 : site.length());
        }
        String path = routed.getRawPath();
        url.append(path == null || path.isEmpty() ? "/" : path);
        if (query != null) {
            url.append('?').append(query);
        }
        return URI.create(url.toString());
    }

    /** Same scheme and authority, no site path on the instance, a path and no fragment on the routed URL. */
    private static boolean alreadyOn(URI routed, URI instance) {
        String site = instance.getRawPath();
        String path = routed.getRawPath();
        return (site == null || site.length() <= 1) && path != null && !path.isEmpty() && routed.getRawFragment() == null
                && instance.getScheme().equals(routed.getScheme())
                && Objects.equals(instance.getRawAuthority(), routed.getRawAuthority());
    }

    /** Forgets the first (401) answer so the replay's answer is the only one the caller gets. */
    private static void discardUpstreamAnswer(ServerWebExchange exchange) {
        Connection connection = exchange.getAttribute(CLIENT_RESPONSE_CONN_ATTR);
        if (connection != null) {
            connection.dispose();
            exchange.getAttributes().remove(CLIENT_RESPONSE_CONN_ATTR);
        }
        ServerHttpResponse response = exchange.getResponse();
        Set<String> upstreamHeaders = exchange.getAttribute(CLIENT_RESPONSE_HEADER_NAMES);
        if (upstreamHeaders != null) {
            upstreamHeaders.forEach(response.getHeaders()::remove);
        }
        response.setStatusCode(null);
        ServerWebExchangeUtils.removeAlreadyRouted(exchange);
    }
}
