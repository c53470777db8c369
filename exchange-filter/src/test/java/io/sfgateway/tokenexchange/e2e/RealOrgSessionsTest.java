package io.sfgateway.tokenexchange.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Where a real org's sessions go and how long they live (docs/REAL-ORGS.md): an Experience Cloud
 * site end to end, and a session that dies before the gateway's {@code session-timeout} because
 * the user's profile or the app has a shorter one, through the running gateway.
 */
class RealOrgSessionsTest extends RealOrgTestSupport {

    @Test
    void anExperienceCloudSiteWorksEndToEnd() {
        ORG.policies().sitePrefix(SITE);
        String subject = uniqueSubject("site-member");
        long siteRequests = ORG.counters().tokenRequests();

        get("site", token(subject, 1)).expectStatus().isOk().expectBody().jsonPath("$.DailyApiRequests").exists();

        assertThat(ORG.counters().tokenRequests()).isEqualTo(siteRequests + 1);
        assertThat(ORG.counters().exchanges(subject)).as("no re-exchange: the first call worked").isEqualTo(1);
        String session = lastSession();
        // The session is a site session: the org's own host refuses it, so the gateway must have used the site...
        client.get().uri(ORG.baseUrl() + LIMITS).header("Authorization", "Bearer " + session).exchange()
                .expectStatus().isUnauthorized();
        // ...where it works.
        client.get().uri(ORG.baseUrl() + SITE + LIMITS).header("Authorization", "Bearer " + session).exchange()
                .expectStatus().isOk();
        // And the cached session keeps working for the next call.
        get("site", token(subject, 1)).expectStatus().isOk();
        assertThat(ORG.counters().exchanges(subject)).isEqualTo(1);
    }

    @Test
    void aSiteOnAHostOfItsOwnWorksWithTheDefaultAllowlistAndItsReplayGoesToTheSiteOnce() {
        String siteOrigin = ORG.serveSiteOn(SITE_HOST);
        ORG.policies().sitePrefix(SITE);
        String subject = uniqueSubject("site-host-member");

        get("sitehost", token(subject, 1)).expectStatus().isOk().expectBody().jsonPath("$.DailyApiRequests").exists();
        assertThat(ORG.counters().lastRestRequest().header("Host")).isEqualTo(siteOrigin.substring("http://".length()));
        assertThat(ORG.counters().exchanges(subject)).isEqualTo(1);
        lastSession();

        // Salesforce ends the session early: 401 INVALID_SESSION_ID, renewal, and one replay, on the site, once.
        ORG.controls().revokeSessionsOf(subject);
        get("sitehost", token(subject, 1)).expectStatus().isOk().expectBody().jsonPath("$.DailyApiRequests").exists();
        assertThat(ORG.counters().exchanges(subject)).as("renewed once").isEqualTo(2);
        assertThat(ORG.counters().lastRestRequest().path()).as("the site's prefix once").isEqualTo(LIMITS);
        assertThat(ORG.counters().lastRestRequest().header("Host")).isEqualTo(siteOrigin.substring("http://".length()));
        lastSession();
    }

    @Test
    void aSiteNamedWithTheOlderFieldNameIsWhereRestGoesToo() {
        ORG.serveSiteOn(SITE_HOST);
        ORG.policies().sitePrefix(SITE);
        ORG.policies().communityFieldNames(true); // sfdc_community_url, sfdc_community_id
        String subject = uniqueSubject("community-member");

        get("sitehost", token(subject, 1)).expectStatus().isOk();
        assertThat(ORG.counters().exchanges(subject)).as("no 401 and renewal: the site was used at once").isEqualTo(1);
        lastSession();
    }

    @Test
    void aSiteOutsideTheAllowlistIsRefusedEvenWhenInstanceUrlIsAllowed() {
        ORG.serveSiteOn(SITE_HOST);
        ORG.policies().sitePrefix(SITE);
        long rest = ORG.counters().restCalls();

        get("siteorgonly", token(uniqueSubject("site-not-allowed"), 1)).expectStatus().isEqualTo(502);
        assertThat(ORG.counters().restCalls()).as("the session went nowhere").isEqualTo(rest);
        assertThat(LOGS.lines()).anyMatch(line -> line.contains("Add the site URL to instance-url-allowlist"));
    }

    @Test
    void aJwtFormatTokenIsNotUsedPastItsExpSoABodyTooLargeToReplayStillGetsThrough() throws InterruptedException {
        // "Issue JWT-based access tokens" with a Token Timeout far below the gateway's 2 h session-timeout.
        ORG.policies().jwtAccessTokens(Duration.ofSeconds(2));
        String subject = uniqueSubject("jwt-format");
        get("jwtformat", token(subject, 1)).expectStatus().isOk();
        assertThat(ORG.counters().exchanges(subject)).isEqualTo(1);
        lastSession();

        Thread.sleep(2_100); // past the token's exp (the JUnit thread, not an event loop)

        byte[] body = new byte[300 * 1024]; // over the 256 KiB replay limit: a 401 could not be made whole
        java.util.Arrays.fill(body, (byte) 'x');
        client.post().uri("/jwtformat/services/apexrest/bulk-upload")
                .header("Authorization", "Bearer " + token(subject, 1))
                .contentType(org.springframework.http.MediaType.TEXT_PLAIN)
                .bodyValue(body)
                .exchange()
                .expectStatus().isOk();
        assertThat(ORG.counters().exchanges(subject)).as("a new session before the call, not after a 401").isEqualTo(2);
        lastSession();
    }

    @Test
    void aShorterUserTimeoutThanTheGatewaysIsMadeWholeByTheReplay() throws InterruptedException {
        String subject = uniqueSubject("short-profile");
        ORG.policies().userSessionTimeout(subject, Duration.ofSeconds(1)); // the gateway believes 2 h
        get("real", token(subject, 1)).expectStatus().isOk();
        assertThat(ORG.counters().exchanges(subject)).isEqualTo(1);

        Thread.sleep(1_500); // idle past the user's timeout (the JUnit thread, not an event loop)

        get("real", token(subject, 1)).expectStatus().isOk().expectBody().jsonPath("$.DailyApiRequests").exists();
        assertThat(ORG.counters().exchanges(subject)).as("stale session evicted, exchanged again, replayed").isEqualTo(2);
        lastSession();
    }

    @Test
    void aSessionInUseOutlivesItsIdleTimeout() throws InterruptedException {
        String subject = uniqueSubject("busy-user");
        ORG.policies().userSessionTimeout(subject, Duration.ofSeconds(1));
        long end = System.nanoTime() + Duration.ofMillis(2_500).toNanos();
        while (System.nanoTime() < end) {
            get("real", token(subject, 1)).expectStatus().isOk();
            Thread.sleep(200);
        }
        assertThat(ORG.counters().exchanges(subject)).as("an idle timeout: a session in use does not expire").isEqualTo(1);
        lastSession();
    }
}
