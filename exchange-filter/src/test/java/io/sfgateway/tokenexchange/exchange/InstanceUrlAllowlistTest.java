package io.sfgateway.tokenexchange.exchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code instance-url-allowlist} patterns (see docs/CONFIGURATION.md). */
class InstanceUrlAllowlistTest {

    private static InstanceUrlAllowlist allowlist(String... patterns) {
        return InstanceUrlAllowlist.of(Arrays.asList(patterns));
    }

    private static boolean allows(InstanceUrlAllowlist allowlist, String url) {
        return allowlist.allows(URI.create(url));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://*.my.salesforce.com",
        "https://acme.my.salesforce.com",
        "https://acme.my.salesforce.com:443",
        "https://acme.my.salesforce.com/",
        "http://localhost:8080",
        "http://127.0.0.1:9999",
        "https://*.my.salesforce.com:8443",
        "HTTPS://*.My.Salesforce.COM",
        "  https://acme.my.salesforce.com  "})
    void validPatternsParse(String pattern) {
        assertThat(InstanceUrlAllowlist.of(List.of(pattern)).isEmpty()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "acme.my.salesforce.com",
        "https://*",
        "https://*.",
        "https://a.*.com",
        "https://*.*.salesforce.com",
        "https://acme*.my.salesforce.com",
        "https://*acme.my.salesforce.com",
        "*.my.salesforce.com",
        "ftp://x",
        "https://x/site/../admin",
        "https://x/./site",
        "https://x/site%2Fadmin",
        "https://x//site",
        "https://x?q=1",
        "https://x#f",
        "https://user@x",
        "https://",
        "https:x",
        "",
        "   "})
    void malformedPatternsAreRefusedWithTheirText(String pattern) {
        assertThatIllegalArgumentException().isThrownBy(() -> InstanceUrlAllowlist.of(List.of(pattern)));
    }

    @Test
    void malformedPatternMessageNamesThePattern() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> InstanceUrlAllowlist.of(List.of("https://ok.example.com", "ftp://bad.example.com")))
                .withMessageContaining("ftp://bad.example.com");
    }

    @Test
    void nullPatternIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> allowlist((String) null));
    }

    @Test
    void wildcardMatchesOneOrMoreLabels() {
        InstanceUrlAllowlist list = allowlist("https://*.my.salesforce.com");
        assertThat(allows(list, "https://acme.my.salesforce.com")).isTrue();
        assertThat(allows(list, "https://a.b.my.salesforce.com")).isTrue();
        assertThat(allows(list, "https://x-1.y-2.z.my.salesforce.com")).isTrue();
        assertThat(allows(list, "https://my.salesforce.com")).isFalse();
        assertThat(allows(list, "https://acmemy.salesforce.com")).isFalse();
        assertThat(allows(list, "https://acme.my.salesforce.com.evil.com")).isFalse();
        assertThat(allows(list, "https://acme.my-salesforce.com")).isFalse();
        assertThat(allows(list, "https://acme.salesforce.com")).isFalse();
    }

    @Test
    void defaultPortsEqualExplicitOnes() {
        InstanceUrlAllowlist https = allowlist("https://*.my.salesforce.com");
        assertThat(allows(https, "https://acme.my.salesforce.com:443")).isTrue();
        assertThat(allows(https, "https://acme.my.salesforce.com:8443")).isFalse();
        assertThat(allows(https, "https://acme.my.salesforce.com:80")).isFalse();

        InstanceUrlAllowlist explicit = allowlist("https://acme.my.salesforce.com:443");
        assertThat(allows(explicit, "https://acme.my.salesforce.com")).isTrue();

        InstanceUrlAllowlist http = allowlist("http://localhost");
        assertThat(allows(http, "http://localhost:80")).isTrue();
        assertThat(allows(http, "http://localhost")).isTrue();
        assertThat(allows(http, "http://localhost:8080")).isFalse();

        InstanceUrlAllowlist port = allowlist("http://localhost:8080");
        assertThat(allows(port, "http://localhost:8080")).isTrue();
        assertThat(allows(port, "http://localhost")).isFalse();
    }

    @Test
    void aSitePatternMatchesThatSitePathOnly() {
        InstanceUrlAllowlist list = allowlist("https://acme.my.site.com/partners", "https://*.my.salesforce.com");
        assertThat(allows(list, "https://acme.my.site.com/partners")).isTrue();
        assertThat(allows(list, "https://acme.my.site.com/partners/")).isTrue();
        assertThat(allows(list, "https://acme.my.site.com")).isFalse();
        assertThat(allows(list, "https://acme.my.site.com/partners/x")).isFalse();
        assertThat(allows(list, "https://acme.my.site.com/partnersx")).isFalse();
        assertThat(allows(list, "https://acme.my.site.com/other")).isFalse();
        assertThat(allows(list, "https://acme.my.site.com/partners/..")).isFalse();
        assertThat(allows(list, "https://acme.my.site.com/partners/%2e%2e")).isFalse();
        assertThat(allows(list, "https://acme.my.site.com/partners?x=1")).isFalse();
        // A pattern without a path still matches bare origins only.
        assertThat(allows(list, "https://acme.my.salesforce.com")).isTrue();
        assertThat(allows(list, "https://acme.my.salesforce.com/partners")).isFalse();
    }

    @Test
    void hostsAndSchemesAreCaseInsensitive() {
        InstanceUrlAllowlist list = allowlist("https://*.My.SalesForce.com");
        assertThat(allows(list, "https://ACME.MY.SALESFORCE.COM")).isTrue();
        assertThat(allows(list, "HTTPS://Acme.my.salesforce.com")).isTrue();

        InstanceUrlAllowlist exact = allowlist("https://Acme.My.Salesforce.com");
        assertThat(allows(exact, "https://acme.my.salesforce.com")).isTrue();
    }

    @Test
    void exactHostPatternsMatchThatHostOnly() {
        InstanceUrlAllowlist list = allowlist("https://acme.my.salesforce.com");
        assertThat(allows(list, "https://acme.my.salesforce.com")).isTrue();
        assertThat(allows(list, "https://acme.my.salesforce.com/")).isTrue();
        assertThat(allows(list, "https://other.my.salesforce.com")).isFalse();
        assertThat(allows(list, "https://x.acme.my.salesforce.com")).isFalse();
        assertThat(allows(list, "https://cme.my.salesforce.com")).isFalse();
    }

    @Test
    void schemeMustMatch() {
        assertThat(allows(allowlist("https://*.my.salesforce.com"), "http://acme.my.salesforce.com")).isFalse();
        assertThat(allows(allowlist("https://*.my.salesforce.com"), "http://acme.my.salesforce.com:443")).isFalse();
        assertThat(allows(allowlist("http://*.my.salesforce.com"), "https://acme.my.salesforce.com")).isFalse();
        assertThat(allows(allowlist("http://*.my.salesforce.com"), "http://acme.my.salesforce.com")).isTrue();
    }

    @Test
    void anyPatternOfSeveralMayMatch() {
        InstanceUrlAllowlist list = allowlist("https://*.my.salesforce.com", "http://localhost:8080");
        assertThat(allows(list, "https://acme.my.salesforce.com")).isTrue();
        assertThat(allows(list, "http://localhost:8080")).isTrue();
        assertThat(allows(list, "http://localhost:8081")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://evil@acme.my.salesforce.com",
        "https://acme.my.salesforce.com/path",
        "https://acme.my.salesforce.com/services/data",
        "https://acme.my.salesforce.com?x=1",
        "https://acme.my.salesforce.com/?x=1",
        "https://acme.my.salesforce.com#frag",
        "https://1.2.3.4",
        "https://[::1]",
        "ftp://acme.my.salesforce.com",
        "//acme.my.salesforce.com",
        "acme.my.salesforce.com",
        "mailto:x@acme.my.salesforce.com",
        "https://acme.my.salesforce.com.",
        "https://acme.my.salesforce.com%2eevil.com"})
    void onlyBareOriginsAreAllowed(String url) {
        assertThat(allows(allowlist("https://*.my.salesforce.com", "https://acme.my.salesforce.com"), url)).isFalse();
    }

    @Test
    void nullAndEmptyListAllowNothing() {
        assertThat(allowlist().allows(URI.create("https://acme.my.salesforce.com"))).isFalse();
        assertThat(allowlist().isEmpty()).isTrue();
        assertThat(allowlist("https://*.my.salesforce.com").allows(null)).isFalse();
    }
}
