package io.sfgateway.tokenexchange.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfgateway.tokenexchange.session.LocalSessionStore;
import io.sfgateway.tokenexchange.session.SessionStore;
import io.sfgateway.tokenexchange.shared.RedisSessionStore;
import io.sfgateway.tokenexchange.shared.SharedStoreHealthIndicator;
import java.net.ServerSocket;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.health.DataRedisReactiveHealthContributorAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;

/** {@code cache.shared.enabled} switches the shared store; off, nothing of it exists. */
class SharedStoreAutoConfigurationTest {

    private static final String ACME = "salesforce.token-exchange.registrations.acme.";
    private static final String SHARED = "salesforce.token-exchange.cache.shared.";
    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
                    DataRedisReactiveAutoConfiguration.class, DataRedisReactiveHealthContributorAutoConfiguration.class,
                    SharedSessionStoreAutoConfiguration.class, TokenExchangeAutoConfiguration.class))
            .withPropertyValues(ACME + "login-url=https://acme.my.salesforce.com", ACME + "client-id=abc",
                    ACME + "subject.validate=false", // about the store, not subject validation
                    "spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + closedPort(),
                    "spring.data.redis.connect-timeout=200ms");

    @Test
    void offByDefault_theCacheHasNoSecondLevel() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(RedisSessionStore.class)
                    .doesNotHaveBean(SharedStoreHealthIndicator.class);
            assertThat(context.getBean(SessionStore.class)).isInstanceOf(LocalSessionStore.class);
        });
    }

    @Test
    void withoutSpringDataRedisTheSwitchChangesNothing() {
        runner.withClassLoader(new FilteredClassLoader(ReactiveRedisConnectionFactory.class))
                .withPropertyValues(SHARED + "enabled=true", SHARED + "key-id=k1", SHARED + "keys.k1=" + KEY)
                .run(context -> assertThat(context.getBean(SessionStore.class)).isInstanceOf(LocalSessionStore.class));
    }

    @Test
    void onTheRedisStoreIsTheSessionStoreAndStartsWithRedisDown() {
        runner.withPropertyValues(SHARED + "enabled=true", SHARED + "key-id=k1", SHARED + "keys.k1=" + KEY)
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(SessionStore.class);
                    assertThat(context.getBean(SessionStore.class)).isInstanceOf(RedisSessionStore.class);
                    assertThat(context.getBean("redisHealthContributor")).as("Boot's own Redis indicator backs off")
                            .isInstanceOf(SharedStoreHealthIndicator.class);
                });
    }

    @Test
    void aRedisOffLoopbackWithoutTlsOrCredentialsStopsStartUpNamingTheKey() {
        runner.withPropertyValues(SHARED + "enabled=true", SHARED + "key-id=k1", SHARED + "keys.k1=" + KEY,
                        "spring.data.redis.host=redis.internal")
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageStartingWith(SHARED + "plain-hosts")
                        .hasMessageContaining("redis.internal"));
    }

    @Test
    void aRedisOffLoopbackStartsWithTlsWithCredentialsOrWhenListed() {
        String[] base = {SHARED + "enabled=true", SHARED + "key-id=k1", SHARED + "keys.k1=" + KEY,
            "spring.data.redis.host=192.0.2.1", "spring.data.redis.connect-timeout=100ms"};
        for (String allowance : new String[] {"spring.data.redis.ssl.enabled=true", "spring.data.redis.password=secret",
            SHARED + "plain-hosts=192.0.2.1"}) {
            runner.withPropertyValues(base).withPropertyValues(allowance)
                    .run(context -> assertThat(context).as(allowance).hasNotFailed().hasSingleBean(RedisSessionStore.class));
        }
        runner.withPropertyValues(SHARED + "enabled=true", SHARED + "key-id=k1", SHARED + "keys.k1=" + KEY,
                        "spring.data.redis.url=redis://redis.internal:6379")
                .run(context -> assertThat(context.getStartupFailure()).as("a plain URL").rootCause()
                        .hasMessageStartingWith(SHARED + "plain-hosts"));
    }

    @Test
    void aMissingKeyIdNamesTheKey() {
        runner.withPropertyValues(SHARED + "enabled=true", SHARED + "keys.k1=" + KEY)
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageStartingWith(SHARED + "key-id"));
    }

    @Test
    void aKeyIdWithoutItsKeyNamesTheKey() {
        runner.withPropertyValues(SHARED + "enabled=true", SHARED + "key-id=k2", SHARED + "keys.k1=" + KEY)
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageStartingWith(SHARED + "keys.k2"));
    }

    @Test
    void aKeyThatIsNot32BytesOfBase64NamesTheKey() {
        for (String bad : new String[] {"c2hvcnQ=", "not base64!", Base64.getEncoder().encodeToString(new byte[31])}) {
            runner.withPropertyValues(SHARED + "enabled=true", SHARED + "key-id=k1", SHARED + "keys.k1=" + bad)
                    .run(context -> assertThat(context.getStartupFailure()).rootCause()
                            .hasMessageStartingWith(SHARED + "keys.k1").hasMessageNotContaining(bad));
        }
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
