package io.sfgateway.tokenexchange.check;

import io.sfgateway.tokenexchange.ExchangeFailure;
import io.sfgateway.tokenexchange.apiusage.SforceLimitInfo;
import io.sfgateway.tokenexchange.check.CheckReport.Finding;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Asks the REST host what a session may do there, with the session: {@code GET /services/data/}
 * (the API versions, free, and on Salesforce without {@code Sforce-Limit-Info}), then
 * {@code GET /services/data/v<newest>} (that version's resources), which proves the host takes the
 * session and carries the org's API usage; it spends one API request.
 */
final class RestProbe {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final WebClient client;

    RestProbe(WebClient client) {
        this.client = client;
    }

    /** The findings about the REST host at {@code restUrl} (the session's instance URL or site URL). */
    Mono<List<Finding>> judge(URI restUrl, String session) {
        String base = restUrl.toString().endsWith("/") ? restUrl.toString().substring(0, restUrl.toString().length() - 1)
                : restUrl.toString();
        return get(base + "/services/data/", session).flatMap(versions -> {
            if (versions.status() != 200) {
                return Mono.just(List.of(refused("GET /services/data/", versions)));
            }
            String newest = newestVersion(versions.body());
            if (newest == null) {
                return Mono.just(List.of(Finding.fail("GET /services/data/ answered 200 without a list of API versions",
                        "login-url (SF_LOGIN_URL) must be the org's My Domain or site URL")));
            }
            String path = "/services/data/v" + newest;
            return get(base + path, session).map(resources -> resources.status() == 200
                    ? List.of(Finding.ok("REST host took the session: GET /services/data/ 200 (newest v" + newest
                            + "), GET " + path + " 200"), usage(resources.limitInfo()))
                    : List.of(refused("GET " + path, resources), usage(resources.limitInfo())));
        }).onErrorResume(error -> Mono.just(List.of(Finding.fail("REST host did not answer: "
                + ExchangeFailure.sanitize(error.getClass().getSimpleName()), "check that the REST host is "
                + "reachable from here"))));
    }

    private Mono<Answer> get(String url, String session) {
        return client.get().uri(URI.create(url))
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + session)
                .exchangeToMono(response -> response.bodyToMono(byte[].class)
                        .defaultIfEmpty(new byte[0])
                        .map(body -> new Answer(response.statusCode().value(),
                                response.headers().asHttpHeaders().getFirst(SforceLimitInfo.HEADER), body)));
    }

    private static Finding usage(String limitInfo) {
        if (limitInfo == null) {
            return Finding.ok("API usage: not reported (no " + SforceLimitInfo.HEADER + " header)");
        }
        SforceLimitInfo.Reading reading = SforceLimitInfo.parse(limitInfo);
        if (reading == SforceLimitInfo.MALFORMED) {
            return Finding.ok("API usage: " + SforceLimitInfo.HEADER + " unreadable");
        }
        return Finding.ok(String.format(java.util.Locale.ROOT, "API usage: api-usage=%d/%d (%.1f %% of the org's "
                + "daily allocation)", reading.used(), reading.limit(), reading.share() * 100));
    }

    private static Finding refused(String request, Answer answer) {
        String code = errorCode(answer.body());
        String said = "REST host answered " + request + " with " + answer.status() + (code == null ? "" : " " + code);
        return switch (code == null ? "" : code) {
            case "INVALID_SESSION_ID" -> Finding.fail(said, "the REST host does not take this session: a site "
                    + "member's session works on the site URL only, so login-url (SF_LOGIN_URL) should be the site URL");
            case "API_CURRENTLY_DISABLED" -> Finding.fail(said, "give the user's profile or permission set the "
                    + "API Enabled permission");
            case "REQUEST_LIMIT_EXCEEDED" -> Finding.fail(said, "the org's daily API allocation is spent: wait, or "
                    + "raise the allocation");
            default -> Finding.fail(said, answer.status() == 404
                    ? "the REST host serves no API there: check the site URL's prefix in login-url (SF_LOGIN_URL)"
                    : "see Salesforce's answer above");
        };
    }

    /** The highest {@code version} of the versions list, e.g. {@code 65.0}, or {@code null}. */
    private static String newestVersion(byte[] body) {
        JsonNode list = read(body);
        String newest = null;
        double highest = -1;
        if (list != null && list.isArray()) {
            for (JsonNode entry : list) {
                JsonNode version = entry.get("version");
                if (version != null && version.isString() && version.asString().matches("\\d{1,3}\\.\\d")) {
                    double value = Double.parseDouble(version.asString());
                    if (value > highest) {
                        highest = value;
                        newest = version.asString();
                    }
                }
            }
        }
        return newest;
    }

    /** The first {@code errorCode} of a REST error list, or {@code null}. */
    private static String errorCode(byte[] body) {
        JsonNode json = read(body);
        JsonNode first = json != null && json.isArray() && !json.isEmpty() ? json.get(0) : json;
        JsonNode code = first == null || !first.isObject() ? null : first.get("errorCode");
        return code != null && code.isString() && code.asString().matches("[A-Z_]{1,64}") ? code.asString() : null;
    }

    private static JsonNode read(byte[] body) {
        try {
            return body.length == 0 ? null : JSON.readTree(body);
        } catch (JacksonException e) {
            return null;
        }
    }

    private record Answer(int status, String limitInfo, byte[] body) {
    }
}
