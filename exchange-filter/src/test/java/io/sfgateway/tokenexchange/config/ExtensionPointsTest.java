package io.sfgateway.tokenexchange.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import io.sfgateway.tokenexchange.InvalidSubjectException;
import io.sfgateway.tokenexchange.RefusalEvents;
import io.sfgateway.tokenexchange.RefusalReason;
import io.sfgateway.tokenexchange.Subject;
import io.sfgateway.tokenexchange.observe.ExchangeObserver;
import io.sfgateway.tokenexchange.routing.SessionPaths;
import io.sfgateway.tokenexchange.session.LocalSessionStore;
import io.sfgateway.tokenexchange.session.SessionEvents;
import io.sfgateway.tokenexchange.session.SessionStore;
import io.sfgateway.tokenexchange.subject.SubjectResolver;
import io.sfgateway.tokenexchange.web.ErrorResponseWriter;
import io.sfgateway.tokenexchange.web.ExchangeErrorRenderer;
import io.sfgateway.tokenexchange.web.ExchangeRegistrations;
import io.sfgateway.tokenexchange.web.SalesforceTokenExchangeGatewayFilterFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The library's seams are beans chosen by type: each has a default, an application's bean of the
 * same type replaces it and is the one used, and with the library switched off none exists.
 */
class ExtensionPointsTest {

    private static final String ACME = "salesforce.token-exchange.registrations.acme.";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TokenExchangeAutoConfiguration.class))
            .withPropertyValues(ACME + "login-url=https://acme.my.salesforce.com", ACME + "client-id=abc",
                    ACME + "subject.validate=false"); // no IdP to fetch keys from

    @Test
    void theDefaultsArePresent() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(SessionStore.class)).isInstanceOf(LocalSessionStore.class);
            assertThat(context.getBean(SubjectResolvers.class)).isInstanceOf(DefaultSubjectResolvers.class);
            assertThat(context.getBean(ExchangeErrorRenderer.class)).isInstanceOf(ErrorResponseWriter.class);
            assertThat(context.getBean("salesforceTokenExchangeClock", Clock.class)).isEqualTo(Clock.systemUTC());
            assertThat(context.getBean("salesforceTokenExchangeTicker", Ticker.class)).isSameAs(Ticker.systemTicker());

            // The default renderer answers a request without a token with the documented challenge.
            ServerWebExchange exchange = requestWithoutToken();
            filter(context).filter(exchange, ignored -> Mono.error(new AssertionError("must not be forwarded")))
                    .block(Duration.ofSeconds(5));
            assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
            assertThat(exchange.getResponse().getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).isEqualTo("Bearer");
        });
    }

    @Test
    void anApplicationsEventsReplaceTheLibrarysObserverAndHearTheRefusals() {
        runner.withUserConfiguration(OwnEvents.class).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(ExchangeObserver.class);
            ServerWebExchange exchange = requestWithoutToken();
            filter(context).filter(exchange, ignored -> Mono.error(new AssertionError("must not be forwarded")))
                    .block(Duration.ofSeconds(5));
            assertThat(context.getBean(RecordingEvents.class).refusals).containsExactly("acme " + RefusalReason.MISSING_TOKEN);
        });
    }

    @Test
    void anApplicationsSubjectResolversReplaceTheDefaultAndBuildEachRegistrationsResolver() {
        runner.withUserConfiguration(OwnSubjectResolvers.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(SubjectResolvers.class);
            RecordingSubjectResolvers own = context.getBean(RecordingSubjectResolvers.class);
            assertThat(own.names).containsExactly("acme");
            assertThat(context.getBean(ExchangeRegistrations.class).find("acme").orElseThrow().subjects())
                    .isSameAs(RecordingSubjectResolvers.RESOLVER);
        });
    }

    @Test
    void anApplicationsErrorRendererReplacesTheDefaultAndAnswersRefusals() {
        runner.withUserConfiguration(OwnErrorRenderer.class).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(ExchangeErrorRenderer.class);
            RecordingRenderer own = context.getBean(RecordingRenderer.class);
            ServerWebExchange exchange = requestWithoutToken();
            filter(context).filter(exchange, ignored -> Mono.error(new AssertionError("must not be forwarded")))
                    .block(Duration.ofSeconds(5));
            assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.I_AM_A_TEAPOT);
            assertThat(own.errors).singleElement().isInstanceOfSatisfying(InvalidSubjectException.class,
                    missing -> assertThat(missing.reason()).isEqualTo(InvalidSubjectException.Reason.MISSING));
        });
    }

    @Test
    void anApplicationsClockDrivesTheCachesTicker() {
        runner.withUserConfiguration(OwnClock.class).run(context -> {
            assertThat(context).hasNotFailed();
            Ticker ticker = context.getBean("salesforceTokenExchangeTicker", Ticker.class);
            assertThat(ticker.read()).isEqualTo(OwnClock.NOW.getEpochSecond() * 1_000_000_000L);
        });
    }

    @Test
    void theLibrarysClockLeavesAHostsOwnClockUnambiguous() {
        runner.withUserConfiguration(HostClock.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(HostClockUser.class).clock).isSameAs(context.getBean("hostClock"));
            assertThat(context.getBean("salesforceTokenExchangeClock")).isNotSameAs(context.getBean("hostClock"));
        });
    }

    @Test
    void switchedOffNoneIsCreated() {
        runner.withPropertyValues("salesforce.token-exchange.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(SessionStore.class)
                    .doesNotHaveBean(SubjectResolvers.class)
                    .doesNotHaveBean(ExchangeErrorRenderer.class)
                    .doesNotHaveBean(SalesforceTokenExchangeGatewayFilterFactory.class)
                    .doesNotHaveBean("salesforceTokenExchangeClock")
                    .doesNotHaveBean("salesforceTokenExchangeTicker");
        });
    }

    private static GatewayFilter filter(AssertableApplicationContext context) {
        SalesforceTokenExchangeGatewayFilterFactory.Config config = new SalesforceTokenExchangeGatewayFilterFactory.Config();
        config.setRegistration("acme");
        return context.getBean(SalesforceTokenExchangeGatewayFilterFactory.class).apply(config);
    }

    private static ServerWebExchange requestWithoutToken() {
        return MockServerWebExchange.from(MockServerHttpRequest.get("/services/data/v62.0/sobjects"));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnEvents {
        @Bean
        RecordingEvents ownEvents() {
            return new RecordingEvents();
        }
    }

    static final class RecordingEvents implements SessionEvents, RefusalEvents {
        final List<String> refusals = new CopyOnWriteArrayList<>();

        @Override
        public void refused(String registration, RefusalReason reason) {
            refusals.add(registration + " " + reason);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnSubjectResolvers {
        @Bean
        RecordingSubjectResolvers ownSubjectResolvers() {
            return new RecordingSubjectResolvers();
        }
    }

    static final class RecordingSubjectResolvers implements SubjectResolvers {
        static final SubjectResolver RESOLVER = (token, digest) -> Mono.just(Subject.opaque(token, digest));
        final List<String> names = new CopyOnWriteArrayList<>();

        @Override
        public SubjectResolver forRegistration(String name, RegistrationProperties registration) {
            names.add(name);
            return RESOLVER;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnErrorRenderer {
        @Bean
        RecordingRenderer ownRenderer() {
            return new RecordingRenderer();
        }
    }

    static final class RecordingRenderer implements ExchangeErrorRenderer {
        final List<Throwable> errors = new CopyOnWriteArrayList<>();

        @Override
        public Mono<Void> write(ServerWebExchange exchange, String registration, Throwable error) {
            errors.add(error);
            exchange.getResponse().setStatusCode(HttpStatus.I_AM_A_TEAPOT);
            return exchange.getResponse().setComplete();
        }

        @Override
        public Mono<Void> refusePath(ServerWebExchange exchange, String registration, SessionPaths.Verdict verdict) {
            throw new AssertionError("the path is a session path: " + verdict);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnClock {
        static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

        @Bean
        Clock salesforceTokenExchangeClock() {
            return Clock.fixed(NOW, ZoneOffset.UTC);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class HostClock {
        @Bean
        Clock hostClock() {
            return Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);
        }

        @Bean
        HostClockUser hostClockUser(Clock clock) {
            return new HostClockUser(clock);
        }
    }

    record HostClockUser(Clock clock) {
    }
}
