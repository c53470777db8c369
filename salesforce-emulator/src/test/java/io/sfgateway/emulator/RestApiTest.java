package io.sfgateway.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The REST subset: session checks, the data resources, userinfo. */
class RestApiTest extends EmulatorTestBase {

    private static final String INVALID_SESSION =
            "[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]";

    private void assertInvalidSession(Http.Response response) {
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.body()).isEqualTo(INVALID_SESSION);
    }

    @Test
    void missingMalformedOrUnknownSessionIs401() {
        assertInvalidSession(Http.get(data("/limits"), null));
        assertInvalidSession(Http.get(data("/limits"), "00D000000000001AAA!unknown"));
        assertInvalidSession(Http.send(HttpRequest.newBuilder(URI.create(data("/limits")))
                .header("Authorization", "Basic YWxpY2U6c2VjcmV0")));
        assertInvalidSession(Http.get(data("/limits"), aliceToken())); // an IdP token is not a session
        assertThat(sf.counters().restCalls()).isEqualTo(4);
        assertThat(sf.counters().lastRestRequest().path()).isEqualTo("/services/data/v65.0/limits");
    }

    @Test
    void liveSessionWorksWithBearerOrOAuthScheme() {
        String session = Exchanges.session(sf, "alice");
        assertThat(Http.get(data("/limits"), session).status()).isEqualTo(200);
        assertThat(Http.send(HttpRequest.newBuilder(URI.create(data("/limits")))
                .header("Authorization", "OAuth " + session)).status()).isEqualTo(200);
    }

    @Test
    void revokedSessionIs401() {
        String session = Exchanges.session(sf, "alice");
        String other = Exchanges.session(sf, "bob");
        sf.controls().revokeSession(session);
        assertInvalidSession(Http.get(data("/limits"), session));
        assertThat(Http.get(data("/limits"), other).status()).isEqualTo(200);
        sf.controls().revokeAllSessions();
        assertInvalidSession(Http.get(data("/limits"), other));
    }

    @Test
    void revokingASubjectRevokesOnlyItsSessions() {
        String alice1 = Exchanges.session(sf, "alice");
        String alice2 = Exchanges.session(sf, "alice");
        String bob = Exchanges.session(sf, "bob");
        assertThat(sf.controls().revokeSessionsOf("alice")).isEqualTo(2);
        assertInvalidSession(Http.get(data("/limits"), alice1));
        assertInvalidSession(Http.get(data("/limits"), alice2));
        assertThat(Http.get(data("/limits"), bob).status()).isEqualTo(200);
        // A new session for the subject works again.
        assertThat(Http.get(data("/limits"), Exchanges.session(sf, "alice")).status()).isEqualTo(200);
    }

    @Test
    void sessionTimeoutIsAnIdleTimeout() throws InterruptedException {
        sf.controls().sessionTimeout(Duration.ofSeconds(1));
        String session = Exchanges.session(sf, "alice");
        Instant issued = Instant.now();
        // In use, the session outlives its timeout (Salesforce's timeout is an idle timeout).
        while (Duration.between(issued, Instant.now()).compareTo(Duration.ofMillis(2500)) < 0) {
            assertThat(Http.get(data("/limits"), session).status()).isEqualTo(200);
            Thread.sleep(100); // the JUnit thread, not an event loop
        }
        // Left idle for longer than the timeout, it expires.
        Thread.sleep(1600);
        assertInvalidSession(Http.get(data("/limits"), session));
    }

    @Test
    void versionsAndResources() {
        String session = Exchanges.session(sf, "alice");
        JsonNode versions = Http.get(sf.baseUrl() + "/services/data/", session).json();
        assertThat(versions.isArray()).isTrue();
        assertThat(versions.size()).isGreaterThanOrEqualTo(3);
        assertThat(versions.get(versions.size() - 1).get("url").asString()).isEqualTo("/services/data/v65.0");
        assertThat(versions.get(versions.size() - 1).get("label").asString()).isEqualTo("Winter '26");
        assertThat(Http.get(sf.baseUrl() + "/services/data", session).status()).isEqualTo(200);
        assertThat(Http.get(data(""), session).json().get("query").asString())
                .isEqualTo("/services/data/v65.0/query");
        assertThat(Http.get(sf.baseUrl() + "/services/data/latest/limits", session).status()).isEqualTo(404);
    }

    @Test
    void limitsCountDown() {
        sf.apiAllocation().limit(15_000); // a Developer Edition org's allocation
        String session = Exchanges.session(sf, "alice");
        JsonNode first = Http.get(data("/limits"), session).json().get("DailyApiRequests");
        JsonNode second = Http.get(data("/limits"), session).json().get("DailyApiRequests");
        assertThat(first.get("Max").asLong()).isEqualTo(15000);
        assertThat(second.get("Remaining").asLong()).isEqualTo(first.get("Remaining").asLong() - 1);
    }

    @Test
    void queryReturnsCannedRecords() {
        String session = Exchanges.session(sf, "alice");
        JsonNode accounts = Http.get(data("/query?q=" + Http.enc("SELECT Id, Name FROM Account")), session).json();
        assertThat(accounts.get("totalSize").asInt()).isEqualTo(3);
        assertThat(accounts.get("done").asBoolean()).isTrue();
        JsonNode acme = accounts.get("records").get(0);
        assertThat(acme.get("attributes").get("type").asString()).isEqualTo("Account");
        assertThat(acme.get("attributes").get("url").asString())
                .isEqualTo("/services/data/v65.0/sobjects/Account/001000000000001AAA");
        assertThat(acme.get("Id").asString()).isEqualTo("001000000000001AAA");
        assertThat(acme.get("Name").asString()).isEqualTo("Acme Corporation");
        assertThat(acme.propertyNames()).containsExactly("attributes", "Id", "Name");

        JsonNode contacts = Http.get(data("/query?q=select+name,email+from+contact+where+Email+%3D+"
                + "'bob@example.com'"), session).json();
        assertThat(contacts.get("totalSize").asInt()).isEqualTo(1);
        assertThat(contacts.get("records").get(0).get("Name").asString()).isEqualTo("Bob Brown");

        assertThat(Http.get(data("/query?q=" + Http.enc("SELECT Id FROM Contact LIMIT 2")), session).json()
                .get("totalSize").asInt()).isEqualTo(2);
    }

    @Test
    void queryOfUnknownTypeIsInvalidType() {
        String session = Exchanges.session(sf, "alice");
        Http.Response response = Http.get(data("/query?q=" + Http.enc("SELECT Id FROM Opportunity")), session);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).isEqualTo(
                "[{\"message\":\"sObject type 'Opportunity' is not supported.\",\"errorCode\":\"INVALID_TYPE\"}]");
        Http.Response noQuery = Http.get(data("/query"), session);
        assertThat(noQuery.status()).isEqualTo(400);
        assertThat(noQuery.json().get(0).get("errorCode").asString()).isEqualTo("MALFORMED_QUERY");
    }

    @Test
    void sobjectsLifecycle() {
        String session = Exchanges.session(sf, "alice");
        Http.Response created = Http.request("POST", data("/sobjects/Account"), session,
                "{\"Name\":\"Umbrella\",\"Industry\":\"Pharma\"}");
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asString();
        assertThat(id).hasSize(18).startsWith("001");
        assertThat(created.json().get("success").asBoolean()).isTrue();
        assertThat(created.json().get("errors").size()).isZero();

        JsonNode fetched = Http.get(data("/sobjects/Account/" + id), session).json();
        assertThat(fetched.get("Name").asString()).isEqualTo("Umbrella");
        assertThat(fetched.get("attributes").get("type").asString()).isEqualTo("Account");

        Http.Response patched = Http.request("PATCH", data("/sobjects/Account/" + id), session,
                "{\"Industry\":\"Biotech\",\"Phone\":\"555\"}");
        assertThat(patched.status()).isEqualTo(204);
        assertThat(patched.body()).isEmpty();
        JsonNode merged = Http.get(data("/sobjects/account/" + id.substring(0, 15)), session).json();
        assertThat(merged.get("Name").asString()).isEqualTo("Umbrella");
        assertThat(merged.get("Industry").asString()).isEqualTo("Biotech");
        assertThat(merged.get("Phone").asString()).isEqualTo("555");

        assertThat(Http.request("DELETE", data("/sobjects/Account/" + id), session, null).status()).isEqualTo(204);
        Http.Response gone = Http.get(data("/sobjects/Account/" + id), session);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.body()).isEqualTo(
                "[{\"errorCode\":\"NOT_FOUND\",\"message\":\"The requested resource does not exist\"}]");
        assertThat(Http.request("DELETE", data("/sobjects/Account/" + id), session, null).status()).isEqualTo(404);
        assertThat(Http.request("PATCH", data("/sobjects/Account/" + id), session, "{}").status()).isEqualTo(404);
    }

    @Test
    void sobjectErrors() {
        String session = Exchanges.session(sf, "alice");
        assertThat(Http.get(data("/sobjects/Account/001000000000999AAA"), session).status()).isEqualTo(404);
        assertThat(Http.get(data("/sobjects/Widget__c/a00000000000001AAA"), session).status()).isEqualTo(404);
        Http.Response missing = Http.request("POST", data("/sobjects/Contact"), session, "{\"FirstName\":\"X\"}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get(0).get("errorCode").asString()).isEqualTo("REQUIRED_FIELD_MISSING");
        Http.Response notJson = Http.request("PATCH", data("/sobjects/Account/001000000000001AAA"), session, "[1]");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().get(0).get("errorCode").asString()).isEqualTo("JSON_PARSER_ERROR");
        Http.Response put = Http.request("PUT", data("/sobjects/Account/001000000000001AAA"), session, "{}");
        assertThat(put.status()).isEqualTo(405);
        assertThat(put.json().get(0).get("errorCode").asString()).isEqualTo("METHOD_NOT_ALLOWED");
    }

    @Test
    void userinfoDescribesTheSessionUser() {
        String session = Exchanges.session(sf, "bob");
        JsonNode info = Http.get(sf.baseUrl() + "/services/oauth2/userinfo", session).json();
        assertThat(info.get("sub").asString()).isEqualTo(sf.baseUrl() + "/id/" + sf.orgId() + "/005000000000002AAA");
        assertThat(info.get("user_id").asString()).isEqualTo("005000000000002AAA");
        assertThat(info.get("organization_id").asString()).isEqualTo(sf.orgId());
        assertThat(info.get("preferred_username").asString()).isEqualTo("bob");
        assertInvalidSession(Http.get(sf.baseUrl() + "/services/oauth2/userinfo", null));
    }

    @Test
    void apexRestEchoesTheRequest() {
        String session = Exchanges.session(sf, "alice");
        JsonNode echo = Http.request("POST", sf.baseUrl() + "/services/apexrest/orders/42?x=1", session,
                "{\"qty\":3}").json();
        assertThat(echo.get("method").asString()).isEqualTo("POST");
        assertThat(echo.get("path").asString()).isEqualTo("/services/apexrest/orders/42");
        assertThat(echo.get("query").asString()).isEqualTo("x=1");
        assertThat(echo.get("body").asString()).isEqualTo("{\"qty\":3}");
    }

    @Test
    void lastRestRequestIsRecorded() {
        String session = Exchanges.session(sf, "alice");
        Http.request("PATCH", data("/sobjects/Account/001000000000001AAA?_HttpMethod=PATCH&a=b+c"), session,
                "{\"Phone\":\"1\"}");
        RecordedRequest last = sf.counters().lastRestRequest();
        assertThat(last.method()).isEqualTo("PATCH");
        assertThat(last.path()).isEqualTo("/services/data/v65.0/sobjects/Account/001000000000001AAA");
        assertThat(last.query()).isEqualTo("_HttpMethod=PATCH&a=b+c");
        assertThat(last.header("authorization")).isEqualTo("Bearer " + session);
        assertThat(last.headers().get("CONTENT-TYPE")).containsExactly("application/json");
        assertThat(last.body()).isEqualTo("{\"Phone\":\"1\"}");
        assertThat(last.toString()).doesNotContain(session).contains("<redacted>");
    }

    @Test
    void restLatencyDelaysAnswers() {
        String session = Exchanges.session(sf, "alice");
        sf.controls().restLatency(Duration.ofMillis(400));
        long start = System.nanoTime();
        assertThat(Http.get(data("/limits"), session).status()).isEqualTo(200);
        assertInvalidSession(Http.get(data("/limits"), null));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(millis).isBetween(800L, 4_000L);
    }

    @Test
    void unknownPathsAre404() {
        String session = Exchanges.session(sf, "alice");
        assertThat(Http.get(data("/nothing"), session).status()).isEqualTo(404);
        assertThat(Http.get(sf.baseUrl() + "/elsewhere", session).status()).isEqualTo(404);
    }
}
