package io.sfgateway.gateway;

import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Keeps every Spring Boot Redis auto-configuration (connection factory, templates, Boot's own
 * {@code redis} health indicator, repositories, Lettuce observation) out of the ready gateway
 * unless the shared session store is on. The jar carries Spring Data Redis for that store only; off,
 * which is the default, nothing about Redis is loaded: no Redis client, no connection attempt, no
 * health entry that could take the gateway DOWN, no log line.
 *
 * <p>An import filter (the hook Spring Boot's own {@code @ConditionalOnClass} pre-check uses) rather
 * than {@code spring.autoconfigure.exclude}, which an operator's own exclusions would replace whole.
 */
public class RedisOnlyForSharedStore implements AutoConfigurationImportFilter, EnvironmentAware {

    /** The package of every auto-configuration of Spring Boot's data-redis module. */
    static final String REDIS_AUTO_CONFIGURATIONS = "org.springframework.boot.data.redis.autoconfigure.";

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public boolean[] match(String[] candidates, AutoConfigurationMetadata metadata) {
        boolean sharedStoreOn = sharedStoreOn();
        boolean[] matches = new boolean[candidates.length];
        for (int i = 0; i < candidates.length; i++) {
            matches[i] = sharedStoreOn || candidates[i] == null || !candidates[i].startsWith(REDIS_AUTO_CONFIGURATIONS);
        }
        return matches;
    }

    /** The library's SharedSessionStoreAutoConfiguration conditions, read as its property conditions read them. */
    private boolean sharedStoreOn() {
        String filter = environment.getProperty("salesforce.token-exchange.enabled");
        return (filter == null || "true".equalsIgnoreCase(filter))
                && "true".equalsIgnoreCase(environment.getProperty("salesforce.token-exchange.cache.shared.enabled"));
    }
}
