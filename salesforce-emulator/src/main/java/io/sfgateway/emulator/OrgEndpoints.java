package io.sfgateway.emulator;

import java.util.List;
import java.util.Map;

/** The org-level REST resources: API versions, a version's resources, limits, userinfo and an Apex REST echo. */
final class OrgEndpoints {

    /** The oldest version still served: Salesforce retired v7.0 to v20.0 in 2023 and v21.0 to v30.0 in 2025. */
    static final int OLDEST_SUPPORTED_VERSION = 31;
    /** The newest version the org serves (Winter '26). */
    static final int NEWEST_VERSION = 65;

    /** The API versions the org advertises, oldest first (v31.0, Summer '14, on); the last is the newest. */
    static final List<Map<String, Object>> VERSIONS = versions();

    private final String orgId;
    private final String baseUrl;
    private final ApiAllocation allocation;

    OrgEndpoints(String orgId, String baseUrl, ApiAllocation allocation) {
        this.orgId = orgId;
        this.baseUrl = baseUrl;
        this.allocation = allocation;
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
        long remaining = Math.max(0, allocation.limit() - allocation.usage());
        return Answer.json(200, Json.object(
                "ConcurrentAsyncGetReportInstances", limit(200, 200),
                "DailyApiRequests", limit(allocation.limit(), remaining),
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

    /** v31.0 was Summer '14; a release (Spring, Summer, Winter) a version since, Winter belonging to the next year. */
    private static List<Map<String, Object>> versions() {
        String[] seasons = {"Spring", "Summer", "Winter"};
        List<Map<String, Object>> versions = new java.util.ArrayList<>();
        for (int v = OLDEST_SUPPORTED_VERSION; v <= NEWEST_VERSION; v++) {
            int release = v - OLDEST_SUPPORTED_VERSION + 1; // 0 would be Spring '14
            int season = release % 3;
            int year = 14 + release / 3 + (season == 2 ? 1 : 0);
            String number = v + ".0";
            versions.add(Json.object("label", seasons[season] + " '" + year, "url", "/services/data/v" + number,
                    "version", number));
        }
        return List.copyOf(versions);
    }

    private static Map<String, Object> limit(long max, long remaining) {
        return Json.object("Max", max, "Remaining", remaining);
    }
}
