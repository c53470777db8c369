package io.sfgateway.tokenexchange.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfgateway.tokenexchange.web.ExchangeRegistrations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The subject block's defaults and required keys: local validation is the default and then
 * needs an issuer and an audience; opaque mode is allowed, said out loud at start-up, and its
 * admission settings are checked. Every failure names the key.
 */
@ExtendWith(OutputCaptureExtension.class)
class SubjectConfigurationTest {

    private static final String ACME = "salesforce.token-exchange.registrations.acme.";
    private static final String SUBJECT = ACME + "subject.";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TokenExchangeAutoConfiguration.class))
            .withUserConfiguration(ConfigurationValidationTest.GatewayPropertiesConfiguration.class)
            .withPropertyValues(ACME + "login-url=https://acme.my.salesforce.com", ACME + "client-id=abc");

    @Test
    void validationIsTheDefaultSoARegistrationWithoutASubjectBlockNeedsTheIdp() {
        runner.run(context -> assertFailure(context.getStartupFailure(), SUBJECT + "jwks-uri"));
    }

    @Test
    void validationWithoutAnIssuerNamesTheKey() {
        runner.withPropertyValues(SUBJECT + "jwks-uri=https://idp.example.com/jwks", SUBJECT + "audiences=gw")
                .run(context -> assertFailure(context.getStartupFailure(), SUBJECT + "issuer"));
        runner.withPropertyValues(SUBJECT + "jwks-uri=https://idp.example.com/jwks", SUBJECT + "audiences=gw",
                        SUBJECT + "issuer=")
                .run(context -> assertFailure(context.getStartupFailure(), SUBJECT + "issuer"));
    }

    @Test
    void issuerUriAloneIsEnoughAsWithSpringSecurity() {
        runner.withPropertyValues(SUBJECT + "issuer-uri=https://127.0.0.1:9/realms/acme", SUBJECT + "audiences=gw")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    SubjectProperties subject = context.getBean(TokenExchangeProperties.class).getRegistrations().get("acme")
                            .getSubject();
                    assertThat(subject.requiredIssuer()).isEqualTo("https://127.0.0.1:9/realms/acme");
                });
        // Both set: jwks-uri gives the keys, issuer-uri the required iss (no discovery).
        runner.withPropertyValues(SUBJECT + "issuer-uri=https://127.0.0.1:9/realms/acme", SUBJECT + "audiences=gw",
                SUBJECT + "jwks-uri=https://127.0.0.1:9/realms/acme/certs").run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void anIssuerThatContradictsIssuerUriOrABadIssuerUriNamesTheKey() {
        runner.withPropertyValues(SUBJECT + "issuer-uri=https://127.0.0.1:9/realms/acme", SUBJECT + "audiences=gw",
                        SUBJECT + "issuer=https://127.0.0.1:9/realms/other")
                .run(context -> assertFailure(context.getStartupFailure(), SUBJECT + "issuer"));
        runner.withPropertyValues(SUBJECT + "issuer-uri=http://idp.example.com", SUBJECT + "audiences=gw")
                .run(context -> assertFailure(context.getStartupFailure(), SUBJECT + "issuer-uri"));
        runner.withPropertyValues(SUBJECT + "issuer-uri=https://idp.example.com?tenant=1", SUBJECT + "audiences=gw")
                .run(context -> assertFailure(context.getStartupFailure(), SUBJECT + "issuer-uri"));
        runner.withPropertyValues(SUBJECT + "issuer-uri=/realms/acme", SUBJECT + "audiences=gw")
                .run(context -> assertFailure(context.getStartupFailure(), SUBJECT + "issuer-uri"));
    }

    @Test
    void validationWithoutAnAudienceNamesTheKey() {
        runner.withPropertyValues(SUBJECT + "jwks-uri=https://idp.example.com/jwks", SUBJECT + "issuer=https://idp.example.com")
                .run(context -> assertFailure(context.getStartupFailure(), SUBJECT + "audiences"));
    }

    @Test
    void badJwksTimingsNameTheKey() {
        String[] valid = {SUBJECT + "jwks-uri=https://idp.example.com/jwks", SUBJECT + "issuer=https://idp.example.com",
            SUBJECT + "audiences=gw"};
        runner.withPropertyValues(valid).withPropertyValues(SUBJECT + "jwks.min-refresh=0s")
                .run(context -> assertFailure(context.getStartupFailure(), SUBJECT + "jwks.min-refresh"));
    }

    @Test
    void theJwksMinRefreshIsThirtySecondsUnlessSet() {
        assertThat(new SubjectProperties().getJwks().getMinRefresh()).hasSeconds(30);
    }

    @Test
    void opaqueModeStartsWithOneWarningPerRegistration(CapturedOutput output) {
        runner.withPropertyValues(SUBJECT + "validate=false")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(ExchangeRegistrations.class).names()).containsExactly("acme");
                });
        assertThat(output.getOut().lines().filter(line -> line.contains("WARN") && line.contains("'acme'")
                && line.contains("validate: false"))).hasSize(1);
    }

    @Test
    void badOpaqueAdmissionSettingsNameTheKey() {
        ApplicationContextRunner opaque = runner.withPropertyValues(SUBJECT + "validate=false");
        opaque.withPropertyValues(SUBJECT + "opaque-admission.pattern=[unclosed")
                .run(context -> assertFailure(context.getStartupFailure(), SUBJECT + "opaque-admission.pattern"));
        opaque.withPropertyValues(SUBJECT + "opaque-admission.per-client-limit=0")
                .run(context -> assertFailure(context.getStartupFailure(), SUBJECT + "opaque-admission.per-client-limit"));
        opaque.withPropertyValues(SUBJECT + "opaque-admission.global-limit=0")
                .run(context -> assertFailure(context.getStartupFailure(), SUBJECT + "opaque-admission.global-limit"));
        opaque.withPropertyValues(SUBJECT + "opaque-token-lifetime=0s")
                .run(context -> assertFailure(context.getStartupFailure(), SUBJECT + "opaque-token-lifetime"));
    }

    private static void assertFailure(Throwable failure, String key) {
        assertThat(failure).as("start-up fails").isNotNull();
        Throwable cause = failure;
        while (cause.getCause() != null && !(cause instanceof InvalidConfigurationException)) {
            cause = cause.getCause();
        }
        assertThat(cause).isInstanceOf(InvalidConfigurationException.class).hasMessageStartingWith(key + ":");
    }
}
