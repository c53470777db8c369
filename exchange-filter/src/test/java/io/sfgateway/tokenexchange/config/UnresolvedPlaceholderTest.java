package io.sfgateway.tokenexchange.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfgateway.tokenexchange.web.ExchangeRegistrations;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;

/**
 * A registration value holding a {@code ${VARIABLE}} that nothing resolves stops start-up, naming
 * the key and the variable, whatever the key's type; a placeholder that resolves, has a default,
 * or sits in a source the binder will not read starts normally.
 */
class UnresolvedPlaceholderTest {

    private static final String ACME = "salesforce.token-exchange.registrations.acme.";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TokenExchangeAutoConfiguration.class))
            .withPropertyValues(ACME + "login-url=https://acme.my.salesforce.com", ACME + "client-id=abc",
                    ACME + "subject.validate=false"); // these tests are about other keys; subject validation has its own

    @Test
    void anUnsetVariableInAStringValueNamesTheKeyAndTheVariable() {
        runner.withPropertyValues(ACME + "client-id=${ACME_CLIENT_ID_NOT_SET}").run(context ->
                assertRefused(context.getStartupFailure(), ACME + "client-id", "ACME_CLIENT_ID_NOT_SET"));
    }

    @Test
    void anUnsetVariableInAUriValueIsCaughtBeforeBinding() {
        runner.withPropertyValues(ACME + "login-url=${ACME_LOGIN_URL_NOT_SET}").run(context ->
                assertRefused(context.getStartupFailure(), ACME + "login-url", "ACME_LOGIN_URL_NOT_SET"));
        runner.withPropertyValues(ACME + "subject.validate=true",
                ACME + "subject.jwks-uri=https://${IDP_HOST_NOT_SET}/jwks").run(context ->
                assertRefused(context.getStartupFailure(), ACME + "subject.jwks-uri", "IDP_HOST_NOT_SET"));
    }

    @Test
    void anUnsetVariableInsideAListOrASecretIsNamedWithoutTheValue() {
        runner.withPropertyValues(ACME + "scopes[0]=api", ACME + "scopes[1]=${EXTRA_SCOPE_NOT_SET}").run(context ->
                assertRefused(context.getStartupFailure(), ACME + "scopes[1]", "EXTRA_SCOPE_NOT_SET"));
        runner.withPropertyValues(ACME + "client-secret=s3cr3t-${SECRET_SUFFIX_NOT_SET}").run(context -> {
            assertRefused(context.getStartupFailure(), ACME + "client-secret", "SECRET_SUFFIX_NOT_SET");
            assertThat(rootCause(context.getStartupFailure())).message().doesNotContain("s3cr3t");
        });
    }

    @Test
    void everyUnresolvedPlaceholderIsNamedInOneMessage() {
        runner.withPropertyValues(ACME + "client-id=${SF_CLIENT_ID_NOT_SET}", ACME + "client-secret=${SF_CLIENT_SECRET_NOT_SET}",
                ACME + "login-url=${SF_LOGIN_URL_NOT_SET}").run(context -> {
            Throwable refused = rootCause(context.getStartupFailure());
            assertThat(refused).isInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining(ACME + "client-id: ${SF_CLIENT_ID_NOT_SET} is not set")
                    .hasMessageContaining(ACME + "client-secret: ${SF_CLIENT_SECRET_NOT_SET} is not set")
                    .hasMessageContaining(ACME + "login-url: ${SF_LOGIN_URL_NOT_SET} is not set")
                    .hasMessageContaining("(3 keys)");
            assertThat(((InvalidConfigurationException) refused).keys()).containsExactlyInAnyOrder(ACME + "client-id",
                    ACME + "client-secret", ACME + "login-url");
            org.springframework.boot.diagnostics.FailureAnalysis analysis = new InvalidConfigurationFailureAnalyzer(
                    new org.springframework.mock.env.MockEnvironment()).analyze(context.getStartupFailure());
            assertThat(analysis.getAction()).contains(ACME + "client-id", ACME + "client-secret", ACME + "login-url");
        });
    }

    @Test
    void resolvedAndDefaultedPlaceholdersStart() {
        runner.withPropertyValues(ACME + "client-id=${ACME_CLIENT_ID}", "ACME_CLIENT_ID=from-the-environment",
                ACME + "token-handler=${ACME_HANDLER:DefaultHandler}").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(ExchangeRegistrations.class).names()).containsExactly("acme");
            assertThat(context.getBean(TokenExchangeProperties.class).getRegistrations().get("acme").getClientId())
                    .isEqualTo("from-the-environment");
        });
    }

    @Test
    void aPlaceholderThatAHigherSourceOverridesIsNeverRead() {
        runner.withInitializer(context -> context.getEnvironment().getPropertySources().addLast(new MapPropertySource(
                        "defaults-file", Map.of(ACME + "client-id", "${NEVER_SET}", ACME + "scopes", "${NEVER_SET_EITHER}",
                                ACME + "instance-url-allowlist[0]", "${NOR_THIS}"))))
                .withPropertyValues(ACME + "scopes=api", ACME + "instance-url-allowlist=https://*.my.salesforce.com")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void keysOutsideTheRegistrationsAreNotThisChecksBusiness() {
        runner.withPropertyValues("some.other.key=${NOT_SET_AND_NOT_OURS}").run(context -> assertThat(context).hasNotFailed());
    }

    private static void assertRefused(Throwable failure, String key, String variable) {
        assertThat(failure).as("start-up fails").isNotNull();
        assertThat(rootCause(failure)).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith(key + ":").hasMessageContaining("${" + variable + "}");
        assertThat(((InvalidConfigurationException) rootCause(failure)).key()).isEqualTo(key);
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && !(cause instanceof InvalidConfigurationException)) {
            cause = cause.getCause();
        }
        return cause;
    }
}
