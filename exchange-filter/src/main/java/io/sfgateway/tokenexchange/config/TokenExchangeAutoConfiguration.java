package io.sfgateway.tokenexchange.config;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.observation.ObservationRegistry;
import io.netty.channel.ChannelOption;
import io.sfgateway.tokenexchange.RefusalEvents;
import io.sfgateway.tokenexchange.check.SalesforceCheck;
import io.sfgateway.tokenexchange.check.SalesforceChecks;
import io.sfgateway.tokenexchange.exchange.TokenExchanger;
import io.sfgateway.tokenexchange.observe.ExchangeObserver;
import io.sfgateway.tokenexchange.observe.ForwardObservationConvention;
import io.sfgateway.tokenexchange.routing.ReplayBudget;
import io.sfgateway.tokenexchange.routing.SessionForwarder;
import io.sfgateway.tokenexchange.session.LocalSessionStore;
import io.sfgateway.tokenexchange.session.RefusalMemory;
import io.sfgateway.tokenexchange.session.RenewalLimit;
import io.sfgateway.tokenexchange.session.SessionCache;
import io.sfgateway.tokenexchange.session.SessionEvents;
import io.sfgateway.tokenexchange.session.SessionStore;
import io.sfgateway.tokenexchange.web.ErrorResponseWriter;
import io.sfgateway.tokenexchange.web.ExchangeErrorRenderer;
import io.sfgateway.tokenexchange.web.ExchangeRegistrations;
import io.sfgateway.tokenexchange.web.SalesforceTokenExchangeGatewayFilterFactory;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.filter.factory.GatewayFilterFactory;
import org.springframework.cloud.gateway.filter.headers.observation.GatewayObservationConvention;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Registers the {@code SalesforceTokenExchange} filter and what it stands on in any Spring Cloud
 * Gateway (WebFlux) application. Every bean can be replaced by defining one of the same type;
 * {@code salesforce.token-exchange.enabled=false} turns the whole library off.
 */
@AutoConfiguration(afterName = "io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration")
@ConditionalOnClass(GatewayFilterFactory.class)
@ConditionalOnProperty(name = "salesforce.token-exchange.enabled", matchIfMissing = true)
@EnableConfigurationProperties(TokenExchangeProperties.class)
public class TokenExchangeAutoConfiguration {

    /** The host's observations (spans when it traces); none without one, so the library works without tracing. */
    private final ObjectProvider<ObservationRegistry> observationRegistry;

    public TokenExchangeAutoConfiguration() {
        this(null);
    }

    @Autowired
    public TokenExchangeAutoConfiguration(ObjectProvider<ObservationRegistry> observationRegistry) {
        this.observationRegistry = observationRegistry;
    }

    private ObservationRegistry observations() {
        return observationRegistry == null ? ObservationRegistry.NOOP
                : observationRegistry.getIfAvailable(() -> ObservationRegistry.NOOP);
    }

    /** Pooled connections to token endpoints and JWKS: bounded, acquire timeout, idle eviction, no redirects. */
    @Bean
    @ConditionalOnMissingBean
    public TokenEndpointClients tokenEndpointClients(TokenExchangeProperties properties) {
        TokenExchangeProperties.Exchange exchange = properties.getExchange();
        ConnectionProvider pool = ConnectionProvider.builder("salesforce-token-exchange")
                .maxConnections(exchange.maxConnections())
                .pendingAcquireTimeout(exchange.timeout())
                .maxIdleTime(Duration.ofSeconds(30))
                .maxLifeTime(Duration.ofMinutes(5))
                .evictInBackground(Duration.ofSeconds(30))
                .build();
        HttpClient http = HttpClient.create(pool)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) exchange.connectTimeout().toMillis())
                // A backstop only: the exchange guard's timeout (exchange.timeout) decides and fires first, so the
                // two never race over the same connection.
                .responseTimeout(exchange.timeout().plusSeconds(1))
                .followRedirect(false);
        // Reactor Netty builds its default TLS client context the first time a client needs one, and that seeds
        // the JDK's SecureRandom from /dev/urandom: a blocking read. Build it now, on the thread starting the
        // application, not on an event loop at the first https exchange or JWKS fetch. (The result is not used.)
        http.secure();
        // Token requests go straight through the HttpClient, skipping WebClient's codecs (docs/BENCHMARKS.md, the
        // cold path); the WebClient over it fetches JWKS.
        return TokenEndpointClients.of(http, (int) exchange.maxResponseSize().toBytes(), observations());
    }

    /**
     * Spring Cloud Gateway's observation of forwarded calls without the route's URI and with the
     * request's path alone (no instance URL, no query); a host's own convention bean replaces it.
     */
    @Bean
    @ConditionalOnMissingBean(GatewayObservationConvention.class)
    public GatewayObservationConvention salesforceForwardObservationConvention() {
        return new ForwardObservationConvention();
    }

    @Bean
    @ConditionalOnMissingBean
    public CircuitBreakerRegistry circuitBreakerRegistry() {
        return CircuitBreakerRegistry.ofDefaults();
    }

    /**
     * The library's metrics and audit line. A host's own bean of {@link SessionEvents} or
     * {@link RefusalEvents} replaces it (the other then hears nothing unless the bean implements both).
     */
    @Bean
    @ConditionalOnMissingBean({SessionEvents.class, RefusalEvents.class})
    public ExchangeObserver tokenExchangeObserver(ObjectProvider<MeterRegistry> meterRegistry,
            @Qualifier("salesforceTokenExchangeClock") Clock clock) {
        return new ExchangeObserver(meterRegistry.getIfAvailable(() -> Metrics.globalRegistry), clock, observations());
    }

    @Bean
    @ConditionalOnMissingBean
    public SessionCache salesforceSessionCache(TokenExchangeProperties properties, ObjectProvider<SessionEvents> events,
            SessionStore store, @Qualifier("salesforceTokenExchangeTicker") Ticker ticker,
            ObjectProvider<MeterRegistry> meterRegistry) {
        SessionCache cache = new SessionCache(properties.getCache().maximumSize(), ticker,
                events.getIfAvailable(() -> SessionEvents.NONE), store);
        cache.bindMetrics(meterRegistry.getIfAvailable(() -> Metrics.globalRegistry));
        return cache;
    }

    @Bean
    @ConditionalOnMissingBean
    public RefusalMemory salesforceRefusalMemory(TokenExchangeProperties properties,
            @Qualifier("salesforceTokenExchangeTicker") Ticker ticker) {
        return new RefusalMemory(properties.getCache().rejectionTtl(), properties.getCache().maximumSize(), ticker);
    }

    @Bean
    @ConditionalOnMissingBean
    public ExchangeRegistrations salesforceExchangeRegistrations(TokenExchangeProperties properties,
            TokenEndpointClients clients, CircuitBreakerRegistry circuitBreakers, SessionCache cache,
            RefusalMemory refusals, ObjectProvider<SessionEvents> events, SubjectResolvers subjectResolvers,
            @Qualifier("salesforceTokenExchangeClock") Clock clock, @Qualifier("salesforceTokenExchangeTicker") Ticker ticker,
            ObjectProvider<MeterRegistry> meterRegistry) {
        return ExchangeRegistrationsFactory.create(properties, clients.transport(), circuitBreakers, cache, refusals,
                events.getIfAvailable(() -> SessionEvents.NONE), observations(), subjectResolvers, clock, ticker,
                meterRegistry.getIfAvailable(() -> Metrics.globalRegistry));
    }

    /**
     * Each registration's check (the gateway-app's {@code --salesforce-check}): its own exchanger on the
     * shared client, so a check shares no cache, store, breaker or metric with the filter.
     */
    @Bean
    @ConditionalOnMissingBean
    public SalesforceChecks salesforceChecks(TokenExchangeProperties properties, TokenEndpointClients clients,
            @Qualifier("salesforceTokenExchangeClock") Clock clock) {
        return new SalesforceChecks(properties.getRegistrations().keySet(), name -> new SalesforceCheck(
                new TokenExchanger(clients.transport(), RegistrationValidator.settings(name,
                        properties.getRegistrations().get(name), properties.getPlainHttpHosts()), clock), clients.web()));
    }

    @Bean
    @ConditionalOnMissingBean
    public SessionForwarder salesforceSessionForwarder(TokenExchangeProperties properties) {
        RegistrationValidator.validateForwardingGlobal(properties);
        return new SessionForwarder(properties.getReplayLimit().toBytes(),
                new ReplayBudget(properties.getReplayBudget().toBytes()));
    }

    /** How refusals are answered; an application's own {@link ExchangeErrorRenderer} bean replaces it. */
    @Bean
    @ConditionalOnMissingBean(ExchangeErrorRenderer.class)
    public ExchangeErrorRenderer salesforceErrorResponseWriter(ObjectProvider<RefusalEvents> events) {
        return new ErrorResponseWriter(events.getIfAvailable(() -> RefusalEvents.NONE));
    }

    @Bean
    @ConditionalOnMissingBean
    public SalesforceTokenExchangeGatewayFilterFactory salesforceTokenExchangeGatewayFilterFactory(
            ExchangeRegistrations registrations, SessionForwarder forwarder, ExchangeErrorRenderer errors,
            TokenExchangeProperties properties, @Qualifier("salesforceTokenExchangeTicker") Ticker ticker) {
        return new SalesforceTokenExchangeGatewayFilterFactory(registrations, forwarder, errors,
                new RenewalLimit(properties.getMinRenewalInterval(), properties.getCache().maximumSize(), ticker));
    }

    /**
     * Where a local cache miss goes: by default nowhere but the exchange. The shared store's
     * auto-configuration (cache.shared.enabled) defines one first, and this backs off.
     */
    @Bean
    @ConditionalOnMissingBean
    public SessionStore salesforceSessionStore() {
        return new LocalSessionStore();
    }

    @Bean
    RouteRegistrationVerifier salesforceRouteRegistrationVerifier(ObjectProvider<GatewayProperties> gateway,
            ExchangeRegistrations registrations) {
        return new RouteRegistrationVerifier(gateway.getIfAvailable(GatewayProperties::new), registrations);
    }

    /**
     * Before any property is bound: a registration value with an unresolved {@code ${VARIABLE}}
     * stops start-up naming the key and the variable (static, so it runs before other beans exist).
     */
    @Bean
    static BeanFactoryPostProcessor salesforceRegistrationPlaceholderCheck(ConfigurableEnvironment environment) {
        return beanFactory -> UnresolvedPlaceholderCheck.check(environment);
    }

    /**
     * Where every part of the library reads the time (token expiry, cache deadlines, limits); one
     * bean so tests and hosts can move it. An application's own bean of this name replaces it.
     */
    @Bean(defaultCandidate = false) // injected by name only: a host's own Clock beans stay unambiguous
    @ConditionalOnMissingBean(name = "salesforceTokenExchangeClock")
    public Clock salesforceTokenExchangeClock() {
        return Clock.systemUTC();
    }

    /**
     * Builds each registration's {@code SubjectResolver}; an application's own {@link SubjectResolvers}
     * bean replaces it (as a {@code KeyResolver} bean does in Spring Cloud Gateway).
     */
    @Bean
    @ConditionalOnMissingBean
    public SubjectResolvers salesforceSubjectResolvers(TokenEndpointClients clients,
            @Qualifier("salesforceTokenExchangeClock") Clock clock) {
        return new DefaultSubjectResolvers(clients.web(), ExchangeRegistrationsFactory.timer(), clock);
    }

    /** The caches' {@link Ticker}, read from the library's clock (see {@link ClockTicker}). */
    @Bean(defaultCandidate = false)
    @ConditionalOnMissingBean(name = "salesforceTokenExchangeTicker")
    public Ticker salesforceTokenExchangeTicker(@Qualifier("salesforceTokenExchangeClock") Clock clock) {
        return ClockTicker.of(clock);
    }
}
