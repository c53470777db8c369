package io.sfgateway.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The org's daily API allocation on REST: the limit header, the limit itself, retired versions, API access. */
class ApiAllocationTest extends EmulatorTestBase {

    private static final String LIMIT_EXCEEDED =
            "[{\"message\":\"TotalRequests Limit exceeded.\",\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]";

    @Test
    void everyRestAnswerButTheVersionsListCarriesTheUsage() {
        sf.apiAllocation().limit(15_000);
        sf.apiAllocation().usage(10_017);
        String session = Exchanges.session(sf, "alice");
        assertThat(limitInfo(Http.get(data("/limits"), session))).isEqualTo("api-usage=10018/15000");
        assertThat(limitInfo(Http.get(data("/sobjects/Nope/001000000000001AAA"), session))).isEqualTo("api-usage=10019/15000");
        assertThat(limitInfo(Http.get(sf.baseUrl() + "/services/apexrest/echo", session))).isEqualTo("api-usage=10020/15000");
        Http.Response versions = Http.get(sf.baseUrl() + "/services/data/", session);
        assertThat(versions.status()).isEqualTo(200);
        assertThat(versions.headers().firstValue("Sforce-Limit-Info")).isEmpty();
        assertThat(sf.apiAllocation().usage()).as("the versions list is free").isEqualTo(10_020);
        assertThat(Http.get(data("/limits"), null).headers().firstValue("Sforce-Limit-Info"))
                .as("no session, no org").isEmpty();
    }

    @Test
    void aSpentAllocationAnswersRequestLimitExceededUntilUsageDrops() {
        sf.apiAllocation().limit(100);
        sf.apiAllocation().usage(99);
        String session = Exchanges.session(sf, "alice");
        assertThat(Http.get(data("/limits"), session).status()).isEqualTo(200);
        Http.Response over = Http.get(data("/limits"), session);
        assertThat(over.status()).isEqualTo(403);
        assertThat(over.body()).isEqualTo(LIMIT_EXCEEDED);
        assertThat(limitInfo(over)).isEqualTo("api-usage=100/100");
        assertThat(Http.get(data("/limits"), session).status()).isEqualTo(403);
        assertThat(sf.apiAllocation().usage()).as("a refused call spends nothing").isEqualTo(100);

        sf.apiAllocation().usage(10); // the rolling window moved on
        assertThat(Http.get(data("/limits"), session).status()).isEqualTo(200);
    }

    @Test
    void retiredVersionsAreGoneAndTheListStartsAtV31() {
        String session = Exchanges.session(sf, "alice");
        for (String retired : new String[] {"v7.0", "v20.0", "v21.0", "v29.0", "v30.0"}) {
            Http.Response gone = Http.get(sf.baseUrl() + "/services/data/" + retired + "/limits", session);
            assertThat(gone.status()).as(retired).isEqualTo(410);
            assertThat(gone.body()).contains("\"errorCode\":\"GONE\"");
        }
        assertThat(Http.get(sf.baseUrl() + "/services/data/v31.0/limits", session).status()).isEqualTo(200);
        var versions = Http.get(sf.baseUrl() + "/services/data/", session).json();
        assertThat(versions.get(0).get("version").asString()).isEqualTo("31.0");
        assertThat(versions.get(0).get("label").asString()).isEqualTo("Summer '14");
        assertThat(versions.get(versions.size() - 1).get("version").asString()).isEqualTo("65.0");
        assertThat(versions.size()).isEqualTo(35);
    }

    @Test
    void aUserWithoutApiAccessGetsApiCurrentlyDisabled() {
        String alice = Exchanges.session(sf, "alice");
        String bob = Exchanges.session(sf, "bob");
        sf.apiAllocation().apiEnabled("alice", false);
        Http.Response disabled = Http.get(data("/limits"), alice);
        assertThat(disabled.status()).isEqualTo(403);
        assertThat(disabled.body()).contains("\"errorCode\":\"API_CURRENTLY_DISABLED\"")
                .contains("API is disabled for this User");
        assertThat(Http.get(data("/limits"), bob).status()).isEqualTo(200);
        sf.apiAllocation().apiEnabled("alice", true);
        assertThat(Http.get(data("/limits"), alice).status()).isEqualTo(200);
    }

    @Test
    void theAdminApiSetsTheAllocation() {
        Http.Response set = Http.postForm(sf.baseUrl() + "/__admin/api-usage?limit=1000&used=960&disableApi=bob", java.util.Map.of());
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.json().get("limit").asLong()).isEqualTo(1000);
        assertThat(set.json().get("used").asLong()).isEqualTo(960);
        assertThat(limitInfo(Http.get(data("/limits"), Exchanges.session(sf, "alice")))).isEqualTo("api-usage=961/1000");
        assertThat(Http.get(data("/limits"), Exchanges.session(sf, "bob")).status()).isEqualTo(403);
        sf.reset();
        assertThat(sf.apiAllocation().usage()).isZero();
        assertThat(sf.apiAllocation().limit()).isEqualTo(ApiAllocation.DEFAULT_DAILY_LIMIT);
        assertThat(Http.get(data("/limits"), Exchanges.session(sf, "bob")).status()).isEqualTo(200);
    }

    private static String limitInfo(Http.Response response) {
        return response.headers().firstValue("Sforce-Limit-Info").orElse(null);
    }
}
