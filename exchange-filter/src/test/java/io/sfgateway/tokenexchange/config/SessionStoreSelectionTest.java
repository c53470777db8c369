package io.sfgateway.tokenexchange.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.SessionGrant;
import io.sfgateway.tokenexchange.session.LocalSessionStore;
import io.sfgateway.tokenexchange.session.SessionCache;
import io.sfgateway.tokenexchange.session.SessionKey;
import io.sfgateway.tokenexchange.session.SessionLifetime;
import io.sfgateway.tokenexchange.session.SessionStore;
import io.sfgateway.tokenexchange.session.StoredSession;
import java.net.URI;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;

/** The session store is chosen by bean: the local store unless the application defines one. */
class SessionStoreSelectionTest {

    private static final String ACME = "salesforce.token-exchange.registrations.acme.";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TokenExchangeAutoConfiguration.class))
            .withPropertyValues(ACME + "login-url=https://acme.my.salesforce.com", ACME + "client-id=abc",
                    ACME + "subject.validate=false"); // about the store, not subject validation

    @Test
    void byDefaultTheCacheHasNoSecondLevel() {
        runner.run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(SessionStore.class);
            assertThat(context.getBean(SessionStore.class)).isInstanceOf(LocalSessionStore.class);
        });
    }

    @Test
    void anApplicationsOwnStoreReplacesItAndTheCacheUsesIt() {
        runner.withUserConfiguration(OwnStore.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(SessionStore.class);
            assertThat(context.getBean(SessionStore.class)).isInstanceOf(FixedStore.class);
            SessionKey key = new SessionKey("acme", "jwt:https://idp alice");
            SalesforceSession session = context.getBean(SessionCache.class)
                    .get(key, new SessionLifetime(Duration.ofHours(2), 0.75), () -> Mono.error(new AssertionError()))
                    .block(Duration.ofSeconds(5));
            assertThat(session).isSameAs(FixedStore.SESSION);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnStore {
        @Bean
        SessionStore ownStore() {
            return new FixedStore();
        }
    }

    static final class FixedStore implements SessionStore {
        static final SalesforceSession SESSION = new SalesforceSession("from-own-store",
                SessionGrant.of(URI.create("https://acme.my.salesforce.com"), null, null), null, 0);

        @Override
        public Mono<StoredSession> load(SessionKey key, SessionLifetime lifetime, Supplier<Mono<SalesforceSession>> exchange) {
            return Mono.just(StoredSession.fresh(SESSION));
        }

        @Override
        public Mono<StoredSession> refresh(SessionKey key, SessionLifetime lifetime, SalesforceSession current,
                Supplier<Mono<SalesforceSession>> exchange) {
            return Mono.empty();
        }

        @Override
        public Mono<Void> evict(SessionKey key, SalesforceSession stale) {
            return Mono.empty();
        }

        @Override
        public Mono<Void> evictSubject(String subjectKey) {
            return Mono.empty();
        }
    }
}
