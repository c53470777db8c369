package io.sfgateway.tokenexchange.config;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.sfgateway.tokenexchange.session.SessionStore;
import io.sfgateway.tokenexchange.shared.RedisSessionStore;
import io.sfgateway.tokenexchange.shared.SharedStoreHealthIndicator;
import io.sfgateway.tokenexchange.shared.SharedStoreSettings;
import io.sfgateway.tokenexchange.shared.SharedStores;
import io.sfgateway.tokenexchange.shared.StoredRegistration;
import io.sfgateway.tokenexchange.exchange.InstanceUrlAllowlist;
import io.sfgateway.tokenexchange.shared.StoreReads;
import io.sfgateway.tokenexchange.warmup.WarmUpStep;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import reactor.core.publisher.Mono;

/**
 * The shared session store, only when {@code cache.shared.enabled} is true and
 * Spring Data Redis is on the class path; otherwise nothing here loads and the session cache
 * keeps its {@code LocalSessionStore}. Redis itself is Spring Boot's: {@code spring.data.redis.*}.
 */
@AutoConfiguration(
        before = TokenExchangeAutoConfiguration.class,
        afterName = {"org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration",
                "io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration"},
        beforeName = {"org.springframework.boot.data.redis.autoconfigure.health.DataRedisReactiveHealthContributorAutoConfiguration",
                "org.springframework.boot.data.redis.autoconfigure.health.DataRedisHealthContributorAutoConfiguration"})
@ConditionalOnClass(name = "org.springframework.data.redis.connection.ReactiveRedisConnectionFactory")
@ConditionalOnProperty(prefix = "salesforce.token-exchange.cache.shared", name = "enabled", havingValue = "true")
@ConditionalOnBooleanProperty(name = "salesforce.token-exchange.enabled", matchIfMissing = true)
@EnableConfigurationProperties(TokenExchangeProperties.class)
public class SharedSessionStoreAutoConfiguration {

    private static final String KEY = "salesforce.token-exchange.cache.shared.";

    @Bean
    @ConditionalOnMissingBean(SessionStore.class)
    public RedisSessionStore salesforceSessionStore(TokenExchangeProperties properties,
            ReactiveRedisConnectionFactory redis, CircuitBreakerRegistry breakers,
            @Qualifier("salesforceTokenExchangeClock") Clock clock,
            ObjectProvider<MeterRegistry> meterRegistry, ObjectProvider<ObservationRegistry> observations,
            Environment environment) {
        TokenExchangeProperties.Shared shared = properties.getCache().shared();
        RedisTransportCheck.requireProtected(environment, shared.plainHosts());
        if (shared.timeout() == null || shared.timeout().isNegative() || shared.timeout().isZero()) {
            throw new InvalidConfigurationException(KEY + "timeout", "must be positive");
        }
        SharedStoreSettings settings = new SharedStoreSettings(sealingKeyId(shared), keys(shared), shared.timeout(),
                properties.getExchange().timeout().plusSeconds(1), storedRegistrations(properties));
        return SharedStores.create(redis, settings, breakers, clock,
                new StoreReads(meterRegistry.getIfAvailable(), observations.getIfAvailable(() -> ObservationRegistry.NOOP)));
    }

    /**
     * What the store binds and checks per registration. A registration without a login URL or
     * client id is refused at start-up by the registration's own validation; here it gets an
     * allowlist that allows nothing.
     */
    private static List<StoredRegistration> storedRegistrations(TokenExchangeProperties properties) {
        return properties.getRegistrations().entrySet().stream().map(named -> {
            RegistrationProperties registration = named.getValue();
            if (registration.getLoginUrl() == null || registration.getClientId() == null) {
                return new StoredRegistration(named.getKey(), "", url -> false, registration.getSessionTimeout());
            }
            InstanceUrlAllowlist allowlist = RegistrationValidator.allowlist(named.getKey(), registration);
            // as the token endpoint is built
            String loginUrl = registration.getLoginUrl().toString().replaceAll("/+$", "");
            return new StoredRegistration(named.getKey(), loginUrl + " " + registration.getClientId().strip(),
                    allowlist::allows, registration.getSessionTimeout());
        }).toList();
    }

    private static String sealingKeyId(TokenExchangeProperties.Shared shared) {
        if (shared.keyId() == null || shared.keyId().isBlank()) {
            throw new InvalidConfigurationException(KEY + "key-id", "is required: the id of the key that seals new values");
        }
        if (!shared.keys().containsKey(shared.keyId())) {
            throw new InvalidConfigurationException(KEY + "keys." + shared.keyId(), "is missing: key-id names it");
        }
        return shared.keyId();
    }

    private static Map<String, byte[]> keys(TokenExchangeProperties.Shared shared) {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        shared.keys().forEach((id, base64) -> {
            byte[] key;
            try {
                key = Base64.getDecoder().decode(base64 == null ? "" : base64.trim());
            } catch (IllegalArgumentException e) {
                key = new byte[0];
            }
            if (key.length != 32 || id.getBytes(StandardCharsets.UTF_8).length > 255) {
                throw new InvalidConfigurationException(KEY + "keys." + id, "must be the base64 of 32 random bytes");
            }
            keys.put(id, key);
        });
        return keys;
    }

    /**
     * The Redis client as the store needs it ({@link SharedStores#clientOptions}): commands refused
     * while disconnected, so a dead Redis is not mistaken for a slow one, and no handshake step the
     * documented ACL does not grant.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer",
        "io.lettuce.core.MaintNotificationsConfig"})
    static class LettuceHandshake {

        @Bean
        org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer
                salesforceSessionStoreClientOptions() {
            return SharedStores::clientOptions;
        }
    }

    /** Replaces Spring Boot's Redis health indicator (by its bean name), so there is one {@code redis} entry. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.ReactiveHealthIndicator")
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "redisHealthContributor")
        SharedStoreHealthIndicator redisHealthContributor(ObjectProvider<RedisSessionStore> store) {
            RedisSessionStore redisStore = store.getIfAvailable();
            return redisStore == null ? null : SharedStoreHealthIndicator.of(redisStore); // an application's own store
        }

        /** Readiness waits for one round trip to Redis: a PING through the store's connection and breaker. */
        @Bean
        WarmUpStep salesforceSharedStoreWarmUp(ObjectProvider<RedisSessionStore> store) {
            RedisSessionStore redisStore = store.getIfAvailable();
            if (redisStore == null) {
                return null;
            }
            SharedStoreHealthIndicator ping = SharedStoreHealthIndicator.of(redisStore);
            return WarmUpStep.required("Redis round trip", Mono.defer(ping::health).flatMap(health ->
                    Status.UP.equals(health.getStatus()) ? Mono.just(health)
                            : Mono.error(new IllegalStateException("Redis did not answer PING: "
                                    + health.getDetails().getOrDefault("reason", health.getStatus())))));
        }
    }
}
