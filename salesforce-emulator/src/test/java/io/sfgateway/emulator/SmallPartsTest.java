package io.sfgateway.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Ids, SOQL parsing, form decoding and the standalone's options. */
class SmallPartsTest {

    @Test
    void caseSafeIdSuffix() {
        assertThat(SalesforceIds.withSuffix("0015000000Gv7qJ")).isEqualTo("0015000000Gv7qJAAR");
        assertThat(SalesforceIds.withSuffix("001000000000001")).isEqualTo("001000000000001AAA");
        assertThat(SalesforceIds.withSuffix("ABCDEABCDEABCDE")).isEqualTo("ABCDEABCDEABCDE555");
        assertThat(SalesforceIds.sequential("003", 42)).isEqualTo("003000000000042AAA");
        assertThat(SalesforceIds.derived("005", "alice")).isEqualTo(SalesforceIds.derived("005", "alice"))
                .isNotEqualTo(SalesforceIds.derived("005", "Alice")).hasSize(18);
    }

    @Test
    void soqlParsing() {
        SoqlQuery q = SoqlQuery.parse("SELECT Id, Name FROM Account WHERE Name = 'O\\'Brien' ORDER BY Name LIMIT 5");
        assertThat(q.fields()).containsExactly("Id", "Name");
        assertThat(q.type()).isEqualTo("Account");
        assertThat(q.whereField()).isEqualTo("Name");
        assertThat(q.whereValue()).isEqualTo("O'Brien");
        assertThat(q.limit()).isEqualTo(5);
        SoqlQuery lower = SoqlQuery.parse("select id from contact");
        assertThat(lower.type()).isEqualTo("contact");
        assertThat(lower.limit()).isEqualTo(-1);
        assertThat(lower.whereField()).isNull();
        assertThatThrownBy(() -> SoqlQuery.parse("SELECT Id")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SoqlQuery.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formDecoding() {
        assertThat(FormBody.parse("a=1&b=x+y%2Bz&c=&d")).containsExactly(Map.entry("a", "1"),
                Map.entry("b", "x y+z"), Map.entry("c", ""), Map.entry("d", ""));
        assertThat(FormBody.parse("")).isEmpty();
        assertThatThrownBy(() -> FormBody.parse("a=1&a=2")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FormBody.parse("a=%G1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unexpectedFailuresAreDescribedWithoutMessages() {
        Exception e = new IllegalStateException("holds 00D000000000001AAA!secret",
                new IllegalArgumentException("token eyJhbGciOi"));
        String described = EmulatorRouter.describe(e);
        assertThat(described).contains("IllegalStateException", "caused by java.lang.IllegalArgumentException",
                "SmallPartsTest").doesNotContain("secret", "eyJ");
    }

    @Test
    void standaloneOptions() {
        EmulatorConfig defaults = EmulatorMain.config(EmulatorMain.options(new String[0]));
        assertThat(defaults.port()).isEqualTo(8090);
        assertThat(defaults.idpPort()).isEqualTo(8091);
        assertThat(defaults.autoProvisionUsers()).isTrue();
        assertThat(defaults.apps()).containsExactly(ConnectedApp.confidential("demo-client", "demo-secret"));

        EmulatorConfig custom = EmulatorMain.config(EmulatorMain.options(new String[] {"--port=9000",
                "--client-id=gw", "--client-secret=", "--session-timeout=60", "--auto-provision-users=false"}));
        assertThat(custom.port()).isEqualTo(9000);
        assertThat(custom.idpPort()).isEqualTo(9001);
        assertThat(custom.apps()).containsExactly(ConnectedApp.publicClient("gw"));
        assertThat(custom.sessionTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(custom.autoProvisionUsers()).isFalse();

        EmulatorConfig cluster = EmulatorMain.config(EmulatorMain.options(new String[] {"--host=0.0.0.0",
                "--instance-url=http://salesforce-emulator:8090/"}));
        assertThat(cluster.host()).isEqualTo("0.0.0.0");
        assertThat(cluster.publicUrl()).isEqualTo("http://salesforce-emulator:8090");
        assertThat(defaults.host()).isEqualTo("127.0.0.1");
        assertThat(defaults.publicUrl()).isNull();

        assertThat(EmulatorMain.config(EmulatorMain.options(new String[] {"--port=0"})).idpPort()).isZero();
        assertThatThrownBy(() -> EmulatorMain.options(new String[] {"--colour=red"}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EmulatorMain.config(EmulatorMain.options(new String[] {"--port=x"})))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void helpIsAnOptionAndTheReadyTextSaysHowToUseTheEmulator() throws Exception {
        assertThat(EmulatorMain.wantsHelp(new String[] {"--help"})).isTrue();
        assertThat(EmulatorMain.wantsHelp(new String[] {"--port=9000", "-h"})).isTrue();
        assertThat(EmulatorMain.wantsHelp(new String[] {"--port=9000"})).isFalse();
        assertThat(EmulatorMain.USAGE).contains("--port=N", "--idp-port=N", "--client-secret=SECRET", "--help");

        EmulatorConfig defaults = EmulatorMain.config(EmulatorMain.options(new String[] {"--port=0"}));
        try (SalesforceEmulator sf = SalesforceEmulator.start(defaults)) {
            String text = EmulatorMain.howToUse(sf, defaults);
            assertThat(text).contains("clientId=demo-client clientSecret=demo-secret", "issuer-uri=" + sf.idp().issuer());
            java.util.regex.Matcher mint = java.util.regex.Pattern.compile("curl -s '([^']+)'").matcher(text);
            assertThat(mint.find()).isTrue();
            java.net.http.HttpResponse<String> token = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(mint.group(1))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(token.statusCode()).isEqualTo(200);
            assertThat(token.body()).startsWith("eyJ");
        }
    }

    @Test
    void aPublicUrlNamesTheOrgInItsSessions() {
        try (SalesforceEmulator sf = SalesforceEmulator.start(EmulatorConfig.builder()
                .publicUrl("http://salesforce-emulator:8090").build())) {
            assertThat(sf.baseUrl()).isEqualTo("http://salesforce-emulator:8090");
            assertThat(sf.port()).isPositive();
        }
    }
}
