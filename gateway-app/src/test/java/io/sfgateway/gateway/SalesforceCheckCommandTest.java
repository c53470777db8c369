package io.sfgateway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@code --salesforce-check=salesforce}, the way {@link GatewayApplication#main} runs it, against
 * the emulated org with the ready gateway's variables: the report on standard output, exit 0 when
 * the registration is right and 1 when it is not, and never the token, the secret or the session.
 */
class SalesforceCheckCommandTest {

    static final EmulatedOrg ORG = new EmulatedOrg();

    @AfterAll
    static void stop() {
        ORG.close();
    }

    @Test
    void aRightRegistrationPassesWithTheTokenFromTheEnvironment() {
        String token = ORG.token("alice");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = SalesforceCheckCommand.run(ORG.gatewayArgs("--salesforce-check=salesforce"),
                Map.of(SalesforceCheckCommand.TOKEN_VARIABLE, token), InputStream.nullInputStream(), print(out));

        String report = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as(report).isZero();
        assertThat(report)
                .startsWith("Salesforce check of registration 'salesforce' (token endpoint "
                        + ORG.emulator().tokenEndpoint() + ")")
                .contains("ok    token handler answered", "ok    scopes granted: api", "ok    no refresh_token came back",
                        "ok    token_format: opaque", "ok    that REST host is in instance-url-allowlist",
                        "ok    API usage: api-usage=1/100000000")
                .endsWith("PASSED" + System.lineSeparator());
        assertNoSecretIn(report, token);
        assertThat(ORG.emulator().liveSessions()).as("the check's one session").isEqualTo(1);
    }

    @Test
    void aWrongSecretFailsWithTheTokenFromStandardInput() {
        String token = ORG.token("bob");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int status = SalesforceCheckCommand.run(
                ORG.gatewayArgs("--salesforce-check=salesforce", "--SF_CLIENT_SECRET=not-the-secret-0815"), Map.of(),
                new ByteArrayInputStream((token + "\n").getBytes(StandardCharsets.UTF_8)), print(out));

        String report = out.toString(StandardCharsets.UTF_8);
        assertThat(status).as(report).isEqualTo(1);
        assertThat(report)
                .contains("FAIL  token handler refused: HTTP 400 invalid_client: invalid client credentials",
                        "fix: client-secret (SF_CLIENT_SECRET) is not the app's Consumer Secret")
                .doesNotContain("not-the-secret-0815")
                .endsWith("FAILED: 1 problem" + System.lineSeparator());
        assertNoSecretIn(report, token);
    }

    private static void assertNoSecretIn(String report, String token) {
        assertThat(report).doesNotContain(token).doesNotContain(EmulatedOrg.CLIENT_SECRET).doesNotContain("Bearer");
        var last = ORG.emulator().counters().lastRestRequest();
        if (last != null) {
            assertThat(report).doesNotContain(last.header("Authorization").substring("Bearer ".length()));
        }
    }

    private static PrintStream print(ByteArrayOutputStream out) {
        return new PrintStream(out, true, StandardCharsets.UTF_8);
    }
}
