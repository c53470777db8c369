package io.sfgateway.emulator;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The REST subset: records and counts every request, checks the session (401 {@code INVALID_SESSION_ID}
 * otherwise), injects latency, then routes to {@link OrgEndpoints} or {@link SObjectEndpoints}. After the
 * session, as Salesforce: the user's API access ({@code 403 API_CURRENTLY_DISABLED}), the versions list (free,
 * no limit header), a retired version ({@code 410}), then the org's daily allocation ({@link ApiAllocation}):
 * every answer from there on carries {@code Sforce-Limit-Info}, and a spent allocation answers
 * {@code 403 REQUEST_LIMIT_EXCEEDED}.
 */
final class RestApi {

    static final String DATA = "/services/data";
    static final String USERINFO = "/services/oauth2/userinfo";
    static final String APEX_REST = "/services/apexrest/";

    private static final Logger log = LoggerFactory.getLogger(RestApi.class);
    private static final Pattern VERSION = Pattern.compile("v\\d{1,3}\\.\\d");
    static final String LIMIT_INFO = "Sforce-Limit-Info";

    private final SessionStore sessions;
    private final EmulatorControls controls;
    private final EmulatorCounters counters;
    private final OrgEndpoints org;
    private final SObjectEndpoints sobjects;
    private final String baseUrl;
    private final Clock clock;
    private final OrgPolicies policies;
    private final ApiAllocation allocation;

    RestApi(SessionStore sessions, EmulatorControls controls, EmulatorCounters counters, OrgEndpoints org,
            SObjectEndpoints sobjects, String baseUrl, Clock clock, OrgPolicies policies, ApiAllocation allocation) {
        this.policies = policies;
        this.allocation = allocation;
        this.sessions = sessions;
        this.controls = controls;
        this.counters = counters;
        this.org = org;
        this.sobjects = sobjects;
        this.baseUrl = baseUrl;
        this.clock = clock;
    }

    static boolean handles(String path) {
        return path.equals(DATA) || path.startsWith(DATA + "/") || path.equals(USERINFO)
                || path.startsWith(APEX_REST);
    }

    Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        return handle(request, response, null);
    }

    /**
     * @param sitePrefix the Experience Cloud site the request came through (its prefix is not part of the recorded
     *     path), or {@code null}. A session issued on the site is honoured there only.
     */
    Mono<Void> handle(HttpServerRequest request, HttpServerResponse response, String sitePrefix) {
        return request.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                .map(body -> answer(record(request, body, sitePrefix), sitePrefix != null))
                .transform(answer -> Latency.delay(answer, controls.restLatency(), Latency.eventLoopOf(request)))
                .flatMap(answer -> Mono.from(answer.send(response)));
    }

    private Answer answer(RecordedRequest request, boolean onSite) {
        counters.restCall(request);
        Optional<Session> session = authenticate(request.header("Authorization"))
                .filter(live -> onSite || !live.site());
        if (session.isEmpty()) {
            log.debug("REST {} {}: no live session", request.method(), request.path());
            return RestErrors.invalidSession();
        }
        log.debug("REST {} {} subject={}", request.method(), request.path(), session.get().subject());
        if (request.path().equals(USERINFO)) {
            return route(request, session.get()); // OAuth, not the REST API: neither limited nor counted
        }
        if (!allocation.apiEnabled(session.get().subject())) {
            return RestErrors.apiDisabled();
        }
        if (isVersionsList(request.path())) {
            return org.versions(request.method()); // free, and without Sforce-Limit-Info, as Salesforce's
        }
        String version = versionOf(request.path());
        if (version != null && isRetired(version)) {
            return RestErrors.gone().withHeader(LIMIT_INFO, allocation.limitInfo());
        }
        if (!allocation.trySpend()) {
            return RestErrors.requestLimitExceeded().withHeader(LIMIT_INFO, allocation.limitInfo());
        }
        return route(request, session.get()).withHeader(LIMIT_INFO, allocation.limitInfo());
    }

    private static boolean isVersionsList(String path) {
        return path.equals(DATA) || path.equals(DATA + "/");
    }

    /** The {@code vNN.N} segment right after {@code /services/data/}, or {@code null}. */
    private static String versionOf(String path) {
        if (!path.startsWith(DATA + "/")) {
            return null;
        }
        int start = DATA.length() + 1;
        int end = path.indexOf('/', start);
        String segment = end < 0 ? path.substring(start) : path.substring(start, end);
        return VERSION.matcher(segment).matches() ? segment : null;
    }

    private static boolean isRetired(String version) {
        int major = Integer.parseInt(version.substring(1, version.indexOf('.')));
        return major < OrgEndpoints.OLDEST_SUPPORTED_VERSION;
    }

    private Optional<Session> authenticate(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        String[] parts = authorization.trim().split("\\s+", 2);
        if (parts.length != 2 || !(parts[0].equalsIgnoreCase("Bearer") || parts[0].equalsIgnoreCase("OAuth"))) {
            return Optional.empty();
        }
        return sessions.live(parts[1].trim(),
                session -> policies.sessionTimeout(session.subject(), controls.sessionTimeout()), clock.instant());
    }

    private Answer route(RecordedRequest request, Session session) {
        String path = request.path();
        String method = request.method();
        if (path.equals(USERINFO)) {
            String override = controls.instanceUrlOverride();
            return org.userinfo(method, session, override != null ? override : baseUrl);
        }
        if (path.startsWith(APEX_REST)) {
            return org.apexEcho(request, session);
        }
        List<String> segments = segments(path.substring(DATA.length()));
        if (segments.isEmpty()) {
            return org.versions(method);
        }
        String version = segments.get(0);
        if (!VERSION.matcher(version).matches()) {
            return RestErrors.notFound();
        }
        if (segments.size() == 1) {
            return org.resources(version, method);
        }
        String resource = segments.get(1);
        List<String> rest = segments.subList(2, segments.size());
        switch (resource) {
            case "limits":
                return rest.isEmpty() ? org.limits(method) : RestErrors.notFound();
            case "query":
                return rest.isEmpty() ? sobjects.query(version, method, queryParameter(request, "q"))
                        : RestErrors.notFound();
            case "sobjects":
                return sobjects.sobjects(version, method, rest, request.body());
            default:
                return RestErrors.notFound();
        }
    }

    private static List<String> segments(String path) {
        List<String> segments = new ArrayList<>(Arrays.asList(path.split("/")));
        segments.removeIf(String::isEmpty);
        return segments;
    }

    private static String queryParameter(RecordedRequest request, String name) {
        List<String> values = new QueryStringDecoder(request.query(), false).parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static RecordedRequest record(HttpServerRequest request, String body, String sitePrefix) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = sitePrefix == null ? uri.path() : uri.path().substring(sitePrefix.length());
        String raw = request.uri();
        int q = raw.indexOf('?');
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : request.requestHeaders().names()) {
            headers.put(name, request.requestHeaders().getAll(name));
        }
        return new RecordedRequest(request.method().name(), path, q < 0 ? "" : raw.substring(q + 1), headers,
                body);
    }
}
