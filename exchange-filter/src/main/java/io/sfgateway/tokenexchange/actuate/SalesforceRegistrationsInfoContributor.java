package io.sfgateway.tokenexchange.actuate;

import io.sfgateway.tokenexchange.config.TokenExchangeProperties;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

/**
 * {@code /actuator/info} → {@code salesforce-token-exchange.registrations}: each registration's
 * name, login host, grant and subject validation mode. Nothing else of the configuration: no
 * secret, no client id, no key, no path or user info of the login URL.
 */
public final class SalesforceRegistrationsInfoContributor implements InfoContributor {

    private final Map<String, Object> details;

    public SalesforceRegistrationsInfoContributor(TokenExchangeProperties properties) {
        Map<String, Object> registrations = new LinkedHashMap<>();
        properties.getRegistrations().forEach((name, registration) -> {
            Map<String, Object> shown = new LinkedHashMap<>();
            shown.put("login-host", host(registration.getLoginUrl()));
            shown.put("grant-type", registration.getGrantType());
            shown.put("subject-validation", registration.getSubject().isValidate() ? "jwt" : "opaque");
            if (registration.getApiUsage().shedAbove() != null) {
                shown.put("api-usage-shed-above", registration.getApiUsage().shedAbove());
            }
            registrations.put(name, shown);
        });
        this.details = Map.of("registrations", registrations);
    }

    /** The host and port only: a login URL written with user info must not show it. */
    private static String host(URI loginUrl) {
        if (loginUrl == null || loginUrl.getHost() == null) {
            return null;
        }
        return loginUrl.getPort() < 0 ? loginUrl.getHost() : loginUrl.getHost() + ":" + loginUrl.getPort();
    }

    @Override
    public void contribute(Info.Builder builder) {
        builder.withDetail("salesforce-token-exchange", details);
    }
}
