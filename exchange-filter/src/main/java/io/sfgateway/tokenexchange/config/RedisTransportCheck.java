package io.sfgateway.tokenexchange.config;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import org.springframework.core.env.Environment;

/**
 * The shared store's Redis must be protected off loopback: sealed values keep sessions from a
 * reader, but anyone who reaches Redis can delete, hold locks and replay. A host that is not
 * loopback needs TLS ({@code spring.data.redis.ssl.enabled}, an SSL bundle or a {@code rediss://}
 * URL) or credentials ({@code spring.data.redis.password}, or in the URL), unless listed in
 * {@code salesforce.token-exchange.cache.shared.plain-hosts} (as {@code plain-http-hosts} does for
 * http). Read from the environment, as Spring Boot's own Redis properties bind it, so the check does
 * not depend on how a Boot version shapes those properties. Sentinel and cluster nodes are not
 * checked here.
 */
final class RedisTransportCheck {

    static final String PLAIN_HOSTS = "salesforce.token-exchange.cache.shared.plain-hosts";
    private static final String REDIS = "spring.data.redis.";

    private RedisTransportCheck() {
    }

    static void requireProtected(Environment environment, List<String> plainHosts) {
        String url = environment.getProperty(REDIS + "url", "");
        String host = environment.getProperty(REDIS + "host", "localhost");
        boolean tls = environment.getProperty(REDIS + "ssl.enabled", Boolean.class, false)
                || !environment.getProperty(REDIS + "ssl.bundle", "").isBlank();
        boolean credentials = !environment.getProperty(REDIS + "password", "").isEmpty();
        if (!url.isBlank()) {
            URI uri = URI.create(url.strip());
            host = uri.getHost() == null ? "" : uri.getHost();
            tls = tls || "rediss".equalsIgnoreCase(uri.getScheme());
            credentials = credentials || uri.getRawUserInfo() != null && !uri.getRawUserInfo().isEmpty();
        }
        String normalised = host.toLowerCase(Locale.ROOT);
        if (tls || credentials || SalesforceUrls.isLoopback(host)
                || plainHosts.stream().anyMatch(listed -> listed.strip().equalsIgnoreCase(normalised))) {
            return;
        }
        throw new InvalidConfigurationException(PLAIN_HOSTS, "the shared session store's Redis host " + host
                + " is not loopback and has neither TLS (spring.data.redis.ssl.enabled) nor credentials"
                + " (spring.data.redis.username/password): protect it, or list the host here to allow it");
    }
}
