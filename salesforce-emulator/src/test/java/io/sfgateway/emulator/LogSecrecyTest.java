package io.sfgateway.emulator;

import static io.sfgateway.emulator.Exchanges.form;
import static io.sfgateway.emulator.Exchanges.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Nothing the emulator logs (DEBUG included) holds a subject token, a client secret or a session id. */
class LogSecrecyTest extends EmulatorTestBase {

    @Override
    protected EmulatorConfig config() {
        return EmulatorConfig.builder()
                .app(ConnectedApp.confidential("demo-client", "s3cr3t-Value-Never-Logged"))
                .build();
    }

    @Test
    void noSecretReachesTheLog() {
        List<String> secrets = new ArrayList<>();
        secrets.add("s3cr3t-Value-Never-Logged");

        String idpToken = aliceToken();
        secrets.add(idpToken);
        Http.Response ok = exchange(with(with(form(idpToken), "client_secret", "s3cr3t-Value-Never-Logged"),
                "scope", "api refresh_token"));
        assertThat(ok.status()).isEqualTo(200);
        secrets.add(ok.json().get("access_token").asString());
        secrets.add(ok.json().get("refresh_token").asString());
        secrets.add(ok.json().get("signature").asString());

        String wrongSecret = "wrong-Secret-Never-Logged";
        secrets.add(wrongSecret);
        exchange(with(form(aliceToken()), "client_secret", wrongSecret));
        String badToken = "opaque-but-not-by-rule-Never-Logged";
        secrets.add(badToken);
        exchange(with(form(badToken), "client_secret", "s3cr3t-Value-Never-Logged"));
        String expired = sf.idp().mintToken("alice", "salesforce-gateway", java.time.Duration.ofSeconds(-5),
                java.util.Map.of());
        secrets.add(expired);
        exchange(with(form(expired), "client_secret", "s3cr3t-Value-Never-Logged"));

        String session = ok.json().get("access_token").asString();
        Http.get(data("/limits"), session);
        Http.get(data("/limits"), "00D000000000001AAA!Unknown-Session-Never-Logged");
        secrets.add("Unknown-Session-Never-Logged");
        Http.Response minted = Http.get(sf.baseUrl() + "/__admin/idp/token?sub=alice", null);
        secrets.add(minted.body());
        sf.controls().revokeSession(session);
        Http.send(HttpRequest.newBuilder(URI.create(sf.baseUrl() + "/__admin/revoke?subject=alice"))
                .POST(HttpRequest.BodyPublishers.noBody()));

        List<String> lines = CapturedLogs.lines();
        assertThat(lines).as("the capture works: the exchange was logged by subject")
                .anyMatch(line -> line.contains("session issued: subject=alice"));
        assertThat(lines).anyMatch(line -> line.contains("refused: invalid_client"));
        for (String secret : secrets) {
            assertThat(lines).noneMatch(line -> line.contains(secret));
        }
        // The JWTs' signature parts are the most sensitive; check those separately too.
        assertThat(lines).noneMatch(line -> line.contains(idpToken.substring(idpToken.lastIndexOf('.') + 1)));
    }
}
