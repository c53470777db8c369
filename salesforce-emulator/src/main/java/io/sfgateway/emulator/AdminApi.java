package io.sfgateway.emulator;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * {@code /__admin/...}: the same controls as the Java API, for a load test that drives the emulator from another
 * process. Plain JSON; not counted as REST calls or token requests.
 */
final class AdminApi {

    static final String PREFIX = "/__admin/";

    private static final Logger log = LoggerFactory.getLogger(AdminApi.class);

    private final SalesforceEmulator emulator;
    private final String defaultAudience;

    AdminApi(SalesforceEmulator emulator, String defaultAudience) {
        this.emulator = emulator;
        this.defaultAudience = defaultAudience;
    }

    Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String action = uri.path().substring(PREFIX.length());
        String method = request.method().name();
        Map<String, List<String>> params = uri.parameters();
        Mono<Answer> answer;
        try {
            answer = route(method, action, params).onErrorResume(IllegalArgumentException.class,
                    e -> Mono.just(Answer.json(400, Json.object("error", e.getMessage()))));
        } catch (IllegalArgumentException e) {
            answer = Mono.just(Answer.json(400, Json.object("error", e.getMessage())));
        }
        return request.receive().then(answer).flatMap(a -> Mono.from(a.send(response)));
    }

    private Mono<Answer> route(String method, String action, Map<String, List<String>> params) {
        boolean get = method.equals("GET");
        boolean post = method.equals("POST");
        switch (action) {
            case "counters":
                return get ? Mono.just(Answer.json(200, counters())) : notAllowed("GET");
            case "idp":
                return get ? Mono.just(Answer.json(200, Json.object("issuer", emulator.idp().issuer(), "jwksUri",
                        emulator.idp().jwksUri(), "kid", emulator.idp().keyId()))) : notAllowed("GET");
            case "idp/token":
                return get ? mint(params) : notAllowed("GET");
            case "idp/rotate":
                return post ? rotate() : notAllowed("POST");
            default:
                break;
        }
        if (!post) {
            return knows(action) ? notAllowed("POST") : Mono.just(notFound());
        }
        EmulatorControls controls = emulator.controls();
        switch (action) {
            case "reset":
                emulator.reset();
                return ok("reset", true);
            case "fault":
                TokenFault fault = fault(param(params, "token", "NONE"));
                controls.tokenFault(fault);
                log.debug("admin: token fault {}", fault);
                return ok("tokenFault", fault.name());
            case "latency":
                String token = param(params, "token", null);
                String rest = param(params, "rest", null);
                if (token != null) {
                    controls.tokenLatency(Duration.ofMillis(number(token, "token")));
                }
                if (rest != null) {
                    controls.restLatency(Duration.ofMillis(number(rest, "rest")));
                }
                return ok("tokenLatencyMs", emulator.controls().tokenLatency().toMillis(), "restLatencyMs",
                        emulator.controls().restLatency().toMillis());
            case "revoke":
                String subject = param(params, "subject", null);
                if (subject == null) {
                    controls.revokeAllSessions();
                    return ok("revoked", "all");
                }
                return ok("revoked", controls.revokeSessionsOf(subject), "subject", subject);
            case "session-timeout":
                long seconds = number(param(params, "seconds", null), "seconds");
                controls.sessionTimeout(Duration.ofSeconds(seconds));
                return ok("sessionTimeoutSeconds", seconds);
            case "policy":
                return policy(params);
            case "instance-url":
                controls.instanceUrl(param(params, "url", null));
                return ok("instanceUrl", emulator.instanceUrl());
            case "api-usage":
                return apiUsage(params);
            default:
                return Mono.just(notFound());
        }
    }

    /**
     * {@code POST /__admin/policy?...}: any of {@code flow=true|false}, {@code defaultHandler=true|false},
     * {@code handlerRefusal=<text>}, {@code scopes=a,b}, {@code loginRateLimit=N}, {@code deactivate=<sub>},
     * {@code withholdApproval=<sub>}, {@code userSessionTimeout=<sub>:<seconds>}, {@code site=/prefix} (empty: none),
     * {@code siteHost=127.0.0.2} (the site on a host of its own), {@code siteFields=community|site} (the older or the
     * current field names), {@code restrictIp=<sub>} (outside Login IP Ranges or hours),
     * {@code jwtTokenTimeout=<seconds>} (JWT-format access tokens; 0: opaque).
     */
    private Mono<Answer> policy(Map<String, List<String>> params) {
        OrgPolicies policies = emulator.policies();
        String flow = param(params, "flow", null);
        if (flow != null) {
            policies.tokenExchangeFlowEnabled(Boolean.parseBoolean(flow.trim()));
        }
        String defaultHandler = param(params, "defaultHandler", null);
        if (defaultHandler != null) {
            policies.defaultHandlerSet(Boolean.parseBoolean(defaultHandler.trim()));
        }
        String refusal = param(params, "handlerRefusal", null);
        if (refusal != null) {
            policies.handlerRefusal(refusal);
        }
        String scopes = param(params, "scopes", null);
        if (scopes != null) {
            policies.appScopes(java.util.Set.of(scopes.trim().split("\\s*,\\s*")));
        }
        String limit = param(params, "loginRateLimit", null);
        if (limit != null) {
            policies.loginRateLimit((int) Math.min(Integer.MAX_VALUE, number(limit, "loginRateLimit")));
        }
        String inactive = param(params, "deactivate", null);
        if (inactive != null) {
            policies.deactivate(inactive);
        }
        String unapproved = param(params, "withholdApproval", null);
        if (unapproved != null) {
            policies.withholdApproval(unapproved);
        }
        String userTimeout = param(params, "userSessionTimeout", null);
        if (userTimeout != null) {
            int colon = userTimeout.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("userSessionTimeout is <subject>:<seconds>");
            }
            policies.userSessionTimeout(userTimeout.substring(0, colon),
                    Duration.ofSeconds(number(userTimeout.substring(colon + 1), "userSessionTimeout")));
        }
        String site = param(params, "site", null);
        if (site != null) {
            policies.sitePrefix(site.isBlank() ? null : site.trim());
        }
        String siteFields = param(params, "siteFields", null);
        if (siteFields != null) {
            policies.communityFieldNames("community".equalsIgnoreCase(siteFields.trim()));
        }
        String restricted = param(params, "restrictIp", null);
        if (restricted != null) {
            policies.restrictIp(restricted);
        }
        String jwtTimeout = param(params, "jwtTokenTimeout", null);
        if (jwtTimeout != null) {
            long jwtSeconds = number(jwtTimeout, "jwtTokenTimeout");
            policies.jwtAccessTokens(jwtSeconds == 0 ? null : Duration.ofSeconds(jwtSeconds));
        }
        String siteHost = param(params, "siteHost", null);
        log.debug("admin: org policies changed");
        Mono<Object> siteOrigin = siteHost == null ? Mono.empty() : emulator.serveSiteOnLater(siteHost.trim()).cast(Object.class);
        return siteOrigin.then(Mono.fromCallable(() -> policiesAnswer(policies)));
    }

    private static Answer policiesAnswer(OrgPolicies policies) {
        return Answer.json(200, Json.object("tokenExchangeFlowEnabled", policies.tokenExchangeFlowEnabled(), "defaultHandlerSet",
                policies.defaultHandlerSet(), "appScopes", new java.util.TreeSet<>(policies.appScopes()), "sitePrefix",
                policies.sitePrefix(), "siteOrigin", policies.siteOrigin()));
    }

    /**
     * {@code POST /__admin/api-usage?...}: any of {@code limit=N} (the daily allocation), {@code used=N} (requests
     * spent today), {@code disableApi=<sub>} and {@code enableApi=<sub>} (the user's API Enabled permission).
     */
    private Mono<Answer> apiUsage(Map<String, List<String>> params) {
        ApiAllocation allocation = emulator.apiAllocation();
        String limit = param(params, "limit", null);
        if (limit != null) {
            allocation.limit(number(limit, "limit"));
        }
        String used = param(params, "used", null);
        if (used != null) {
            allocation.usage(number(used, "used"));
        }
        String disable = param(params, "disableApi", null);
        if (disable != null) {
            allocation.apiEnabled(disable, false);
        }
        String enable = param(params, "enableApi", null);
        if (enable != null) {
            allocation.apiEnabled(enable, true);
        }
        return ok("limit", allocation.limit(), "used", allocation.usage());
    }

    private Map<String, Object> counters() {
        EmulatorCounters counters = emulator.counters();
        return Json.object(
                "totalExchanges", counters.totalExchanges(),
                "tokenRequests", counters.tokenRequests(),
                "restCalls", counters.restCalls(),
                "maxExchangesPerSubject", counters.maxExchangesPerSubject(),
                "liveSessions", emulator.liveSessions(),
                "exchangesBySubject", counters.exchangesBySubject());
    }

    /** Minting signs with RSA and reads the OS entropy source: off the event loop. */
    private Mono<Answer> mint(Map<String, List<String>> params) {
        String subject = param(params, "sub", null);
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("sub is required");
        }
        String audience = param(params, "aud", defaultAudience);
        long ttl = number(param(params, "ttlSeconds", "3600"), "ttlSeconds");
        return Mono.fromCallable(() -> emulator.idp().mintToken(subject, audience, Duration.ofSeconds(ttl), Map.of()))
                .subscribeOn(Schedulers.boundedElastic())
                .map(token -> Answer.text(200, token).withHeader("Cache-Control", "no-store"));
    }

    /** Key generation reads the OS entropy source: off the event loop. */
    private Mono<Answer> rotate() {
        return Mono.fromRunnable(() -> emulator.idp().rotateKey())
                .subscribeOn(Schedulers.boundedElastic())
                .then(Mono.fromCallable(() -> Answer.json(200, Json.object("kid", emulator.idp().keyId()))));
    }

    private static boolean knows(String action) {
        return List.of("reset", "fault", "latency", "revoke", "session-timeout", "instance-url", "policy",
                "api-usage")
                .contains(action);
    }

    private static TokenFault fault(String name) {
        try {
            return TokenFault.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown fault; known: " + List.of(TokenFault.values()));
        }
    }

    private static long number(String value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n < 0) {
                throw new IllegalArgumentException(name + " must not be negative");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number");
        }
    }

    private static String param(Map<String, List<String>> params, String name, String fallback) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? fallback : values.get(0);
    }

    private static Mono<Answer> ok(Object... keysAndValues) {
        return Mono.just(Answer.json(200, Json.object(keysAndValues)));
    }

    private static Mono<Answer> notAllowed(String allowed) {
        return Mono.just(Answer.json(405, Json.object("error", "method not allowed; use " + allowed))
                .withHeader("Allow", allowed));
    }

    private static Answer notFound() {
        return Answer.json(404, Json.object("error", "no such admin endpoint"));
    }
}
