package io.sfgateway.gateway.demo;

import io.sfgateway.emulator.SalesforceEmulator;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.Profiles;

/**
 * With the {@code demo} profile: starts the emulated Salesforce org and IdP in-process, before
 * the gateway reads its configuration, and supplies the values {@code application.yml} otherwise
 * takes from the environment ({@code SF_LOGIN_URL}, {@code SF_CLIENT_ID}, {@code IDP_ISSUER}…).
 * Without the profile it does nothing: a production gateway never starts the emulator.
 */
public class DemoEnvironment implements EnvironmentPostProcessor, Ordered {

    static final String PROFILE = "demo";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.acceptsProfiles(Profiles.of(PROFILE))) {
            return;
        }
        SalesforceEmulator emulator = DemoOrg.start();
        environment.getPropertySources().addFirst(new MapPropertySource("demo-salesforce-org", Map.of(
                "SF_LOGIN_URL", emulator.baseUrl(),
                "SF_CLIENT_ID", DemoOrg.CLIENT_ID,
                "SF_CLIENT_SECRET", DemoOrg.CLIENT_SECRET,
                "SF_TOKEN_HANDLER", DemoOrg.HANDLER,
                "SF_SCOPES", "api",
                "SF_INSTANCE_URL_ALLOWLIST", emulator.baseUrl(),
                "IDP_ISSUER", emulator.idp().issuer(),
                "IDP_JWKS_URI", emulator.idp().jwksUri(),
                "IDP_AUDIENCES", DemoOrg.AUDIENCE)));
    }

    /** Before the gateway's EnvironmentRegistration, which applies the SF_* registration once SF_LOGIN_URL is set. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 10;
    }
}
