package io.sfgateway.emulator;

import static io.sfgateway.emulator.Exchanges.form;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Counters and what {@link SalesforceEmulator#reset()} clears and keeps. */
class ResetAndCountersTest extends EmulatorTestBase {

    @Test
    void countersCountSuccessesPerSubject() {
        Exchanges.session(sf, "alice");
        Exchanges.session(sf, "alice");
        Exchanges.session(sf, "bob");
        exchange(form(sf.idp().mintToken("mallory", "salesforce-gateway")));

        EmulatorCounters counters = sf.counters();
        assertThat(counters.exchanges("alice")).isEqualTo(2);
        assertThat(counters.exchanges("bob")).isEqualTo(1);
        assertThat(counters.exchanges("mallory")).isZero();
        assertThat(counters.exchangesBySubject()).containsOnlyKeys("alice", "bob").containsEntry("alice", 2L);
        assertThat(counters.totalExchanges()).isEqualTo(3);
        assertThat(counters.tokenRequests()).isEqualTo(4);
        assertThat(counters.maxExchangesPerSubject()).isEqualTo(2);
        assertThat(counters.restCalls()).isZero();
        assertThat(counters.lastRestRequest()).isNull();
    }

    @Test
    void resetClearsRunTimeStateAndKeepsSetUp() {
        String session = Exchanges.session(sf, "alice");
        String tokenBeforeReset = aliceToken();
        Http.get(data("/limits"), session);
        Http.request("POST", data("/sobjects/Account"), session, "{\"Name\":\"Temp\"}");
        sf.controls().tokenFault(TokenFault.UNAVAILABLE);
        sf.controls().tokenLatency(Duration.ofSeconds(5));
        sf.controls().restLatency(Duration.ofSeconds(5));
        sf.controls().instanceUrl("https://elsewhere.example.com");
        sf.controls().sessionTimeout(Duration.ofSeconds(1));

        sf.reset();

        assertThat(sf.counters().totalExchanges()).isZero();
        assertThat(sf.counters().tokenRequests()).isZero();
        assertThat(sf.counters().restCalls()).isZero();
        assertThat(sf.counters().exchangesBySubject()).isEmpty();
        assertThat(sf.counters().lastTokenForm()).isEmpty();
        assertThat(sf.counters().lastRestRequest()).isNull();
        assertThat(sf.controls().tokenFault()).isEqualTo(TokenFault.NONE);
        assertThat(sf.controls().tokenLatency()).isZero();
        assertThat(sf.controls().restLatency()).isZero();
        assertThat(sf.controls().sessionTimeout()).isEqualTo(Duration.ofHours(2));
        assertThat(sf.instanceUrl()).isEqualTo(sf.baseUrl());
        assertThat(sf.liveSessions()).isZero();
        // Sessions are gone; IdP keys and users are kept, so a token minted before the reset still exchanges.
        assertThat(Http.get(data("/limits"), session).status()).isEqualTo(401);
        Http.Response exchanged = exchange(form(tokenBeforeReset));
        assertThat(exchanged.status()).isEqualTo(200);
        assertThat(exchanged.json().get("instance_url").asString()).isEqualTo(sf.baseUrl());
        String fresh = exchanged.json().get("access_token").asString();
        assertThat(Http.get(data("/query?q=SELECT+Id+FROM+Account"), fresh).json().get("totalSize").asInt())
                .as("records are back to the canned data").isEqualTo(3);
    }
}
