package io.sfgateway.tokenexchange.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfgateway.tokenexchange.exchange.ExchangeSettings;
import io.sfgateway.tokenexchange.web.ExchangeRegistrations;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Start-up checks that follow what a real org requires (docs/REAL-ORGS.md): My Domain or a site
 * as the token endpoint, https except on loopback, and the JWT token type as Salesforce spells it.
 */
class RealOrgConfigurationTest {

    private static final String ACME = "salesforce.token-exchange.registrations.acme.";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TokenExchangeAutoConfiguration.class))
            .withUserConfiguration(ConfigurationValidationTest.GatewayPropertiesConfiguration.class)
            .withPropertyValues(ACME + "client-id=abc",
                    ACME + "subject.validate=false"); // these tests are about other keys; subject validation has its own

    @ParameterizedTest
    @ValueSource(strings = {"https://login.salesforce.com", "https://test.salesforce.com", "https://LOGIN.Salesforce.com/",
            "https://login.salesforce.com./"})
    void theGenericLoginHostsStopStartUpNamingTheKey(String url) {
        runner.withPropertyValues(ACME + "login-url=" + url)
                .run(context -> assertFailure(context.getStartupFailure(), ACME + "login-url", "My Domain"));
    }

    @Test
    void theLightningHostStopsStartUpSuggestingMyDomain() {
        runner.withPropertyValues(ACME + "login-url=https://acme.lightning.force.com")
                .run(context -> assertFailure(context.getStartupFailure(), ACME + "login-url",
                        "https://acme.my.salesforce.com"));
        runner.withPropertyValues(ACME + "login-url=https://acme--uat.sandbox.lightning.force.com")
                .run(context -> assertFailure(context.getStartupFailure(), ACME + "login-url",
                        "https://acme--uat.sandbox.my.salesforce.com"));
        runner.withPropertyValues(ACME + "login-url=https://acme--c.vf.force.com")
                .run(context -> assertFailure(context.getStartupFailure(), ACME + "login-url", "My Domain"));
        runner.withPropertyValues(ACME + "login-url=https://acme.my.salesforce.com",
                        ACME + "instance-url-allowlist=https://*.lightning.force.com")
                .run(context -> assertFailure(context.getStartupFailure(), ACME + "instance-url-allowlist",
                        "never issues a session"));
    }

    @Test
    @org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
    void aLoginUrlOutsideTheAllowlistIsWarnedAbout(org.springframework.boot.test.system.CapturedOutput output) {
        // A GovCloud org with an allowlist written for commercial orgs.
        runner.withPropertyValues(ACME + "login-url=https://agency.my.salesforce.mil", ACME + "scopes=api",
                        ACME + "instance-url-allowlist=https://*.my.salesforce.com")
                .run(context -> assertThat(context).hasNotFailed());
        assertThat(output.getAll()).contains("login-url https://agency.my.salesforce.mil is outside instance-url-allowlist");
    }

    @Test
    @org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
    void theDefaultAllowlistCoversTheLoginUrl(org.springframework.boot.test.system.CapturedOutput output) {
        runner.withPropertyValues(ACME + "login-url=https://agency.my.salesforce.mil", ACME + "scopes=api")
                .run(context -> assertThat(context).hasNotFailed());
        runner.withPropertyValues(ACME + "login-url=https://acme.my.site.com/partners", ACME + "scopes=api")
                .run(context -> assertThat(context).hasNotFailed());
        assertThat(output.getAll()).doesNotContain("is outside instance-url-allowlist");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://acme.my.salesforce.com", "http://10.0.0.7:8080", "http://128.0.0.1",
            "http://localhost.evil.com", "http://127.0.0.1.nip.io"})
    void plainHttpOffLoopbackStopsStartUp(String url) {
        runner.withPropertyValues(ACME + "login-url=" + url)
                .run(context -> assertFailure(context.getStartupFailure(), ACME + "login-url", "https"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080", "http://127.9.9.9", "http://localhost:9000", "http://[::1]:8080",
            "https://acme.my.salesforce.com", "https://acme--uat.sandbox.my.salesforce.com",
            "https://acme.my.site.com/partners"})
    void loopbackHttpAndHttpsStartUp(String url) {
        runner.withPropertyValues(ACME + "login-url=" + url).run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aListedPlainHttpHostStartsUp() {
        // The Kubernetes dev overlay's emulated org, reached by its Service name inside the cluster.
        runner.withPropertyValues(ACME + "login-url=http://salesforce-emulator:8090",
                        ACME + "instance-url-allowlist=http://salesforce-emulator:8090",
                        "salesforce.token-exchange.plain-http-hosts=salesforce-emulator")
                .run(context -> assertThat(context).hasNotFailed());
        runner.withPropertyValues(ACME + "login-url=http://salesforce-emulator:8090",
                        "salesforce.token-exchange.plain-http-hosts=other-host")
                .run(context -> assertFailure(context.getStartupFailure(), ACME + "login-url", "plain-http-hosts"));
    }

    @Test
    void plainHttpJwksUriStopsStartUp() {
        runner.withPropertyValues(ACME + "login-url=https://acme.my.salesforce.com", ACME + "subject.validate=true",
                        ACME + "subject.issuer=https://idp.example.com", ACME + "subject.audiences=x",
                        ACME + "subject.jwks-uri=http://idp.example.com/jwks")
                .run(context -> assertFailure(context.getStartupFailure(), ACME + "subject.jwks-uri", "https"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://*.my.salesforce.com", "http://acme.my.salesforce.com", "https://login.salesforce.com"})
    void insecureOrGenericAllowlistEntriesStopStartUp(String pattern) {
        runner.withPropertyValues(ACME + "login-url=https://acme.my.salesforce.com",
                        ACME + "instance-url-allowlist=https://*.my.salesforce.com," + pattern)
                .run(context -> assertFailure(context.getStartupFailure(), ACME + "instance-url-allowlist", null));
    }

    @Test
    @org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
    void theRefreshTokenScopeIsWarnedAboutAtStartUp(org.springframework.boot.test.system.CapturedOutput output) {
        runner.withPropertyValues(ACME + "login-url=https://acme.my.salesforce.com", ACME + "scopes=api,refresh_token")
                .run(context -> assertThat(context).hasNotFailed());
        assertThat(output.getAll()).contains(ACME + "scopes holds 'refresh_token'").contains("five");
    }

    @Test
    @org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
    void anOmittedScopesIsWarnedAboutAtStartUpToo(org.springframework.boot.test.system.CapturedOutput output) {
        runner.withPropertyValues(ACME + "login-url=https://acme.my.salesforce.com")
                .run(context -> assertThat(context).hasNotFailed());
        assertThat(output.getAll()).contains(ACME + "scopes is not set").contains("every scope the app has")
                .contains("scopes: [api]");
    }

    @Test
    @org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
    void noWarningWithoutIt(org.springframework.boot.test.system.CapturedOutput output) {
        runner.withPropertyValues(ACME + "login-url=https://acme.my.salesforce.com", ACME + "scopes=api")
                .run(context -> assertThat(context).hasNotFailed());
        assertThat(output.getAll()).doesNotContain("holds 'refresh_token'").doesNotContain("scopes is not set");
    }

    @Test
    void theJwtShorthandSendsSalesforcesSpelling() {
        runner.withPropertyValues(ACME + "login-url=https://acme.my.salesforce.com", ACME + "subject-token-type=jwt")
                .run(context -> assertThat(settings(context).request().subjectTokenType())
                        .isEqualTo("urn:ietf:params:oauth:token-type:JWT"));
    }

    @Test
    void aSiteLoginUrlKeepsItsPrefixAndAllowsItsOwnUrlByDefault() {
        runner.withPropertyValues(ACME + "login-url=https://acme.my.site.com/partners/")
                .run(context -> {
                    ExchangeSettings settings = settings(context);
                    assertThat(settings.client().tokenEndpoint()).hasToString("https://acme.my.site.com/partners/services/oauth2/token");
                    assertThat(settings.allowlist().allows(java.net.URI.create("https://acme.my.site.com/partners"))).isTrue();
                    assertThat(settings.allowlist().allows(java.net.URI.create("https://acme.my.site.com"))).isTrue();
                    assertThat(settings.allowlist().allows(java.net.URI.create("https://acme.my.site.com/other"))).isFalse();
                });
    }

    private static ExchangeSettings settings(org.springframework.boot.test.context.assertj.AssertableApplicationContext context) {
        assertThat(context).hasNotFailed();
        assertThat(context.getBean(ExchangeRegistrations.class).names()).containsExactly("acme");
        return RegistrationValidator.settings("acme",
                context.getBean(TokenExchangeProperties.class).getRegistrations().get("acme"));
    }

    private static void assertFailure(Throwable failure, String key, String hint) {
        assertThat(failure).as("start-up fails").isNotNull();
        Throwable cause = failure;
        while (cause.getCause() != null && !(cause instanceof InvalidConfigurationException)) {
            cause = cause.getCause();
        }
        assertThat(cause).isInstanceOf(InvalidConfigurationException.class).hasMessageStartingWith(key + ":");
        if (hint != null) {
            assertThat(cause).hasMessageContaining(hint);
        }
    }
}
