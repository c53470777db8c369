package io.sfgateway.tokenexchange.config;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.netty.channel.ChannelOption;
import io.sfgateway.tokenexchange.exchange.TokenEndpointClient;
import io.sfgateway.tokenexchange.observe.ExchangeObserver;
import io.sfgateway.tokenexchange.routing.RenewalLimit;
import io.sfgateway.tokenexchange.routing.ReplayBudget;
import io.sfgateway.tokenexchange.routing.SessionForwarder;
import io.sfgateway.tokenexchange.session.RefusalMemory;
import io.sfgateway.tokenexchange.session.LocalSessionStore;
import io.sfgateway.tokenexchange.session.SessionCache;
import io.sfgateway.tokenexchange.session.SessionStore;
import io.sfgateway.tokenexchange.web.ErrorResponseWriter;
import io.sfgateway.tokenexchange.web.ExchangeRegistrations;
import io.sfgateway.tokenexchange.web.SalesforceTokenExchangeGatewayFilterFactory;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.filter.factory.GatewayFilterFactory;
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

    /** Pooled connections to token endpoints and JWKS: bounded, acquire timeout, idle eviction, no redirects. */
    @Bean
    @ConditionalOnMissingBean
    public TokenExchangeWebClient tokenExchangeWebClient(TokenExchangeProperties properties) {
        TokenExchangeProperties.Exchange exchange = properties.exchange();
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
        // A WebClient for JWKS and applications that also hands TokenExchanger its HttpClient: the token request
        // skips WebClient's codecs (docs/BENCHMARKS.md, the cold path).
        return new TokenExchangeWebClient(TokenEndpointClient.of(http, (int) exchange.maxResponseSize().toBytes()));
    }

    @Bean
    @ConditionalOnMissingBean
    public CircuitBreakerRegistry circuitBreakerRegistry() {
        return CircuitBreakerRegistry.ofDefaults();
    }

    @Bean
    @ConditionalOnMissingBean
    public ExchangeObserver tokenExchangeObserver(ObjectProvider<MeterRegistry> meterRegistry) {
        return new ExchangeObserver(meterRegistry.getIfAvailable(() -> Metrics.globalRegistry));
    }

    @Bean
    @ConditionalOnMissingBean
    public SessionCache salesforceSessionCache(TokenExchangeProperties properties, ExchangeObserver observer,
            SessionStore store) {
        return new SessionCache(properties.cache().maximumSize(), Ticker.systemTicker(), observer, store);
    }

    @Bean
    @ConditionalOnMissingBean
    public RefusalMemory salesforceRefusalMemory(TokenExchangeProperties properties) {
        return new RefusalMemory(properties.cache().rejectionTtl(), properties.cache().maximumSize(), Ticker.systemTicker());
    }

    @Bean
    @ConditionalOnMissingBean
    public ExchangeRegistrations salesforceExchangeRegistrations(TokenExchangeProperties properties,
            TokenExchangeWebClient webClient, CircuitBreakerRegistry circuitBreakers, SessionCache cache,
            RefusalMemory refusals, ExchangeObserver observer) {
        return ExchangeRegistrationsFactory.create(properties, webClient.webClient(), circuitBreakers, cache, refusals,
                observer);
    }

    @Bean
    @ConditionalOnMissingBean
    public SessionForwarder salesforceSessionForwarder(TokenExchangeProperties properties) {
        RegistrationValidator.validateForwardingGlobal(properties);
        return new SessionForwarder(properties.replayLimit().toBytes(),
                new ReplayBudget(properties.replayBudget().toBytes()));
    }

    @Bean
    @ConditionalOnMissingBean
    public ErrorResponseWriter salesforceErrorResponseWriter(ExchangeObserver observer) {
        return new ErrorResponseWriter(observer);
    }

    @Bean
    @ConditionalOnMissingBean
    public SalesforceTokenExchangeGatewayFilterFactory salesforceTokenExchangeGatewayFilterFactory(
            ExchangeRegistrations registrations, SessionForwarder forwarder, ErrorResponseWriter errors,
            TokenExchangeProperties properties) {
        return new SalesforceTokenExchangeGatewayFilterFactory(registrations, forwarder, errors,
                new RenewalLimit(properties.minRenewalInterval(), properties.cache().maximumSize(), Ticker.systemTicker()));
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
}
