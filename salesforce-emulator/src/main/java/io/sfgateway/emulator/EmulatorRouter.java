package io.sfgateway.emulator;

import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * Sends each request to the token endpoint, the REST subset or the admin API, also under an Experience Cloud site's
 * prefix when one is served ({@link OrgPolicies#sitePrefix}); 404 otherwise. A site served on a host of its own
 * ({@link SalesforceEmulator#serveSiteOn}) answers there only, as a real site on {@code <name>.my.site.com} does,
 * and that host serves nothing else.
 */
final class EmulatorRouter {

    private static final Logger log = LoggerFactory.getLogger(EmulatorRouter.class);

    private final TokenEndpoint token;
    private final RestApi rest;
    private final AdminApi admin;
    private final OrgPolicies policies;
    private final String baseUrl;

    EmulatorRouter(TokenEndpoint token, RestApi rest, AdminApi admin, OrgPolicies policies, String baseUrl) {
        this.policies = policies;
        this.baseUrl = baseUrl;
        this.token = token;
        this.rest = rest;
        this.admin = admin;
    }

    /** A request to the org's own host. */
    Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        return handle(request, response, false);
    }

    /** A request to the site's own host ({@link SalesforceEmulator#serveSiteOn}). */
    Mono<Void> handleOnSiteHost(HttpServerRequest request, HttpServerResponse response) {
        return handle(request, response, true);
    }

    private Mono<Void> handle(HttpServerRequest request, HttpServerResponse response, boolean onSiteHost) {
        String path = new QueryStringDecoder(request.uri()).path();
        String site = policies.sitePrefix();
        String siteOrigin = policies.siteOrigin(); // null: the site shares the org's host
        boolean siteHere = site != null && (siteOrigin == null ? !onSiteHost : onSiteHost);
        Mono<Void> handled;
        if (siteHere && path.startsWith(site + "/services/")) {
            String inSite = path.substring(site.length());
            String siteUrl = (siteOrigin == null ? baseUrl : siteOrigin) + site;
            handled = inSite.equals(TokenEndpoint.PATH) ? token.handle(request, response, siteUrl)
                    : RestApi.handles(inSite) ? rest.handle(request, response, site)
                    : request.receive().then(Mono.from(Answer.json(404, "{\"error\":\"not_found\"}").send(response)));
        } else if (onSiteHost) {
            handled = request.receive().then(Mono.from(Answer.json(404, "{\"error\":\"not_found\"}").send(response)));
        } else if (path.equals(TokenEndpoint.PATH)) {
            handled = token.handle(request, response);
        } else if (RestApi.handles(path)) {
            handled = rest.handle(request, response);
        } else if (path.startsWith(AdminApi.PREFIX)) {
            handled = admin.handle(request, response);
        } else {
            handled = request.receive().then(Mono.from(Answer.json(404, "{\"error\":\"not_found\"}").send(response)));
        }
        return handled.onErrorResume(e -> {
            // A bug, not a client error. Logged without the request or the exception's message (either may quote a
            // token): the exception's class and where it was thrown.
            log.warn("unexpected failure on {} {}: {}", request.method(), path, describe(e));
            return response.hasSentHeaders() ? Mono.error(e)
                    : Mono.from(Answer.json(500, Json.restError("UNKNOWN_EXCEPTION", "internal error"))
                            .send(response));
        });
    }

    /** The class and the first few frames of a throwable and its causes, without messages. */
    static String describe(Throwable e) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = e; t != null && out.length() < 2000; t = t.getCause()) {
            out.append(out.length() == 0 ? "" : " caused by ").append(t.getClass().getName());
            StackTraceElement[] frames = t.getStackTrace();
            for (int i = 0; i < Math.min(6, frames.length); i++) {
                out.append(i == 0 ? " at " : " < ").append(frames[i]);
            }
        }
        return out.toString();
    }
}
