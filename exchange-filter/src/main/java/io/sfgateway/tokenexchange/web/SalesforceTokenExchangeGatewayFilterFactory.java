package io.sfgateway.tokenexchange.web;

import io.sfgateway.tokenexchange.BearerToken;
import io.sfgateway.tokenexchange.InvalidSubjectException;
import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.Subject;
import io.sfgateway.tokenexchange.TokenDigest;
import io.sfgateway.tokenexchange.apiusage.ApiUsageMonitor;
import io.sfgateway.tokenexchange.routing.SessionForwarder;
import io.sfgateway.tokenexchange.routing.SessionPaths;
import io.sfgateway.tokenexchange.routing.UpstreamAnswers;
import io.sfgateway.tokenexchange.session.RenewalLimit;
import io.sfgateway.tokenexchange.subject.BearerTokens;
import java.net.URI;
import java.util.List;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.RouteToRequestUrlFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.cloud.gateway.support.GatewayToStringStyler;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * {@code SalesforceTokenExchange=<registration>}: trades the caller's IdP token for a Salesforce
 * session and forwards the request with it.
 *
 * <p>One request, in order: the bearer token is taken from {@code Authorization}; the
 * registration turns it into a {@code Subject} (validating it when configured); the session
 * cache answers the subject's Salesforce session, exchanging when it must; the
 * {@link SessionForwarder} points the request at the session's instance with the Salesforce
 * token. A refusal anywhere is answered by the {@link ExchangeErrorRenderer}. Before any of it, the
 * path is judged ({@link SessionPaths}): a dot segment in any encoding is refused with 400, a
 * path outside the registration's session paths with 404, and neither costs an exchange. With
 * {@code api-usage.shed-above} set and the org's usage above it, a request with a token is
 * refused with 429 at once ({@link ApiUsageMonitor}). A path
 * outside is refused rather than forwarded without a session: the gateway would otherwise need a
 * session to know the instance, and an open relay to the rest of the org is not its job.
 *
 * <p>The warm path (a token validated before, its session cached) is taken synchronously and
 * goes straight to the forwarder; anything else goes through the reactive resolve-and-exchange
 * pipeline.
 */
public class SalesforceTokenExchangeGatewayFilterFactory
        extends AbstractGatewayFilterFactory<SalesforceTokenExchangeGatewayFilterFactory.Config> {

    /** Runs right after the route's URL is known, so the filter can move it to the instance URL. */
    public static final int ORDER = RouteToRequestUrlFilter.ROUTE_TO_URL_FILTER_ORDER + 1;

    private final ExchangeRegistrations registrations;
    private final SessionForwarder forwarder;
    private final ExchangeErrorRenderer errors;
    private final RenewalLimit renewals;

    /**
     * @param renewals how often a subject's session may be replaced on Salesforce's word
     */
    public SalesforceTokenExchangeGatewayFilterFactory(ExchangeRegistrations registrations, SessionForwarder forwarder,
            ExchangeErrorRenderer errors, RenewalLimit renewals) {
        super(Config.class);
        this.registrations = registrations;
        this.forwarder = forwarder;
        this.errors = errors;
        this.renewals = renewals;
    }

    @Override
    public List<String> shortcutFieldOrder() {
        return List.of("registration");
    }

    @Override
    public GatewayFilter apply(Config config) {
        ExchangeRegistration registration = registrations.find(config.getRegistration())
                .orElseThrow(() -> new IllegalArgumentException("SalesforceTokenExchange names registration '"
                        + config.getRegistration() + "', which is not configured under salesforce.token-exchange.registrations"
                        + " (configured: " + registrations.names() + ")"));
        return new Filter(registration);
    }

    /** The filter of one route. */
    private final class Filter implements GatewayFilter, Ordered {

        private final ExchangeRegistration registration;

        Filter(ExchangeRegistration registration) {
            this.registration = registration;
        }

        @Override
        public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
            SessionPaths.Verdict path = judgePath(exchange);
            if (path != SessionPaths.Verdict.ALLOWED) {
                return errors.refusePath(exchange, registration.name(), path);
            }
            BearerToken token;
            try {
                token = BearerTokens.extract(exchange.getRequest().getHeaders());
            } catch (InvalidSubjectException missingOrMalformed) {
                return errors.write(exchange, registration.name(), missingOrMalformed);
            }
            ApiUsageMonitor apiUsage = registration.apiUsage();
            if (apiUsage != null && !apiUsage.admit()) {
                return errors.write(exchange, registration.name(), apiUsage.shed()); // neither exchange nor forward
            }
            TokenDigest digest = TokenDigest.of(token); // the one hash of the token: memo, refusal memory, opaque key
            Subject known = registration.subjects().known(token, digest);
            if (known != null) {
                SalesforceSession cached = registration.sessions().cachedSessionFor(known);
                if (cached != null) {
                    return forward(exchange, chain, known, cached); // the warm path: nothing to wait for
                }
            }
            Mono<Subject> subject = known != null ? Mono.just(known) : registration.subjects().resolve(token, digest);
            return subject
                    .flatMap(resolved -> registration.sessions().sessionFor(resolved, exchange.getRequest().getRemoteAddress())
                            .flatMap(session -> forward(exchange, chain, resolved, session)))
                    .onErrorResume(ErrorResponseWriter::handles, error -> errors.write(exchange, registration.name(), error));
        }

        /**
         * Both the path the caller sent and the path Salesforce would get (after the route's own
         * filters) must be free of dot segments; the latter must lie under a session path.
         */
        private SessionPaths.Verdict judgePath(ServerWebExchange exchange) {
            String callerPath = exchange.getRequest().getURI().getRawPath();
            URI routed = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR);
            String routedPath = routed != null ? routed.getRawPath() : callerPath;
            // judge() checks the routed path for dot segments; the caller's only needs its own look when a
            // route filter rewrote it (usually the two are the same string).
            if (!java.util.Objects.equals(callerPath, routedPath) && SessionPaths.hasDotSegments(callerPath)) {
                return SessionPaths.Verdict.DOT_SEGMENTS;
            }
            return registration.forwarding().sessionPaths().judge(routedPath);
        }

        /** Errors here come from renewing a session Salesforce called invalid, before the replay. */
        private Mono<Void> forward(ServerWebExchange exchange, GatewayFilterChain chain, Subject subject,
                SalesforceSession session) {
            ApiUsageMonitor apiUsage = registration.apiUsage();
            return forwarder.forward(exchange, chain, session, registration.sessions().renewal(subject, renewals),
                            registration.forwarding(), apiUsage != null ? apiUsage : UpstreamAnswers.NONE)
                    .onErrorResume(ErrorResponseWriter::handles, error -> errors.write(exchange, registration.name(), error));
        }

        @Override
        public int getOrder() {
            return ORDER;
        }

        @Override
        public String toString() {
            return GatewayToStringStyler.filterToStringCreator(SalesforceTokenExchangeGatewayFilterFactory.this)
                    .append("registration", registration.name())
                    .toString();
        }
    }

    /** The route's argument: the registration's name. */
    public static class Config {

        private String registration;

        public String getRegistration() {
            return registration;
        }

        public void setRegistration(String registration) {
            this.registration = registration;
        }
    }
}
