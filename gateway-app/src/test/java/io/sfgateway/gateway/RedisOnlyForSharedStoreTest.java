package io.sfgateway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.mock.env.MockEnvironment;

/** Spring Boot's Redis auto-configurations are candidates only while the shared session store is on. */
class RedisOnlyForSharedStoreTest {

    private static final String[] CANDIDATES = {
        "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
        "org.springframework.boot.data.redis.autoconfigure.health.DataRedisReactiveHealthContributorAutoConfiguration",
        null, // already filtered out by an earlier filter
        "io.sfgateway.tokenexchange.config.SharedSessionStoreAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration"};

    @Test
    void offByDefaultEveryRedisAutoConfigurationIsLeftOutAndNothingElse() {
        assertThat(match(new MockEnvironment())).containsExactly(false, false, true, true, true);
    }

    @Test
    void onEverythingIsACandidate() {
        assertThat(match(new MockEnvironment().withProperty("salesforce.token-exchange.cache.shared.enabled", "true")))
                .containsExactly(true, true, true, true, true);
    }

    @Test
    void theFilterSwitchedOffLeavesRedisOutAsTheSharedStoreIsOffThen() {
        assertThat(match(new MockEnvironment().withProperty("salesforce.token-exchange.cache.shared.enabled", "true")
                .withProperty("salesforce.token-exchange.enabled", "false"))).containsExactly(false, false, true, true, true);
    }

    @Test
    void theRelaxedEnvironmentVariableTurnsItOnToo() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        Map.of("SALESFORCE_TOKENEXCHANGE_CACHE_SHARED_ENABLED", "true")));
        ConfigurationPropertySources.attach(environment);
        assertThat(match(environment)).containsExactly(true, true, true, true, true);
    }

    private static boolean[] match(org.springframework.core.env.Environment environment) {
        RedisOnlyForSharedStore filter = new RedisOnlyForSharedStore();
        filter.setEnvironment(environment);
        return filter.match(CANDIDATES.clone(), null);
    }
}
