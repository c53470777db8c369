package io.sfgateway.emulator;

import java.util.List;
import java.util.Map;

/** The org-level REST resources: API versions, a version's resources, limits, userinfo and an Apex REST echo. */
final class OrgEndpoints {

    /** The API versions the org advertises, oldest first; the last is the newest. */
    static final List<Map<String, Object>> VERSIONS = List.of(
            Json.object("label", "Spring '25", "url", "/services/data/v63.0", "version", "63.0"),
            Json.object("label", "Summer '25", "url", "/services/data/v64.0", "version", "64.0"),
            Json.object("label", "Winter '26", "url", "/services/data/v65.0", "version", "65.0"));

    private static final long DAILY_API_REQUESTS = 15_000;

    private final String orgId;
    private final String baseUrl;
    private final EmulatorCounters counters;

    OrgEndpoints(String orgId, String baseUrl, EmulatorCounters counters) {
        this.orgId = orgId;
        this.baseUrl = baseUrl;
        this.counters = counters;
    }

    Answer versions(String method) {
        return method.equals("GET") ? Answer.json(200, VERSIONS) : RestErrors.methodNotAllowed(method, "GET,HEAD");
    }

    /** {@code GET /services/data/vXX.X}: the resources of that version. */
    Answer resources(String version, String method) {
        if (!method.equals("GET")) {
            return RestErrors.methodNotAllowed(method, "GET,HEAD");
        }
        String base = "/services/data/" + version;
        return Answer.json(200, Json.object("limits", base + "/limits", "query", base + "/query", "sobjects",
                base + "/sobjects"));
    }

    Answer limits(String method) {
        if (!method.equals("GET")) {
            return RestErrors.methodNotAllowed(method, "GET,HEAD");
        }
        long remaining = Math.max(0, DAILY_API_REQUESTS - counters.restCalls());
        return Answer.json(200, Json.object(
                "ConcurrentAsyncGetReportInstances", limit(200, 200),
                "DailyApiRequests", limit(DAILY_API_REQUESTS, remaining),
                "DailyAsyncApexExecutions", limit(250_000, 250_000),
                "DailyBulkApiBatches", limit(15_000, 15_000),
                "DataStorageMB", limit(5, 5),
                "FileStorageMB", limit(20, 20),
                "SingleEmailMessage", limit(15, 15)));
    }

    /** {@code GET|POST /services/oauth2/userinfo} for the session's user. */
    Answer userinfo(String method, Session session, String instanceUrl) {
        if (!method.equals("GET") && !method.equals("POST")) {
            return RestErrors.methodNotAllowed(method, "GET,POST");
        }
        String subject = session.subject();
        String email = subject.contains("@") ? subject : subject + "@example.com";
        String rest = instanceUrl + "/services/data/v{version}/";
        return Answer.json(200, Json.object(
                "sub", SessionIssuer.identityUrl(baseUrl, orgId, session.userId()),
                "user_id", session.userId(),
                "organization_id", orgId,
                "preferred_username", subject,
                "nickname", subject,
                "name", subject,
                "email", email,
                "email_verified", true,
                "zoneinfo", "America/Los_Angeles",
                "locale", "en_US",
                "language", "en_US",
                "user_type", "STANDARD",
                "active", true,
                "urls", Json.object(
                        "rest", rest,
                        "sobjects", rest + "sobjects/",
                        "query", rest + "query/",
                        "profile", instanceUrl + "/" + session.userId())));
    }

    /** Any {@code /services/apexrest/**}: echoes the request, so pass-through of method, path and body is visible. */
    Answer apexEcho(RecordedRequest request, Session session) {
        return Answer.json(200, Json.object("method", request.method(), "path", request.path(), "query",
                request.query(), "userId", session.userId(), "body", request.body()));
    }

    private static Map<String, Object> limit(long max, long remaining) {
        return Json.object("Max", max, "Remaining", remaining);
    }
}
