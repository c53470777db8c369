package io.sfgateway.tokenexchange.config;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.sfgateway.tokenexchange.apiusage.ApiUsageMonitor;
import io.sfgateway.tokenexchange.apiusage.ApiUsagePolicy;
import io.sfgateway.tokenexchange.exchange.ExchangeBreakerPolicy;
import io.sfgateway.tokenexchange.exchange.ExchangeGuard;
import io.sfgateway.tokenexchange.exchange.ExchangeSettings;
import io.sfgateway.tokenexchange.exchange.GuardedTokenExchange;
import io.sfgateway.tokenexchange.exchange.TokenEndpointTransport;
import io.sfgateway.tokenexchange.exchange.TokenExchanger;
import io.sfgateway.tokenexchange.routing.ForwardingPolicy;
import io.sfgateway.tokenexchange.session.NewOpaqueSubjectLimiter;
import io.sfgateway.tokenexchange.session.RefusalMemory;
import io.sfgateway.tokenexchange.session.SessionCache;
import io.sfgateway.tokenexchange.session.SessionEvents;
import io.sfgateway.tokenexchange.session.SessionLifetime;
import io.sfgateway.tokenexchange.session.SessionPolicy;
import io.sfgateway.tokenexchange.session.SessionService;
import io.sfgateway.tokenexchange.web.ExchangeRegistration;
import io.sfgateway.tokenexchange.web.ExchangeRegistrations;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Scheduler;

/** Wires each configured registration: subject resolver, exchanger, guard and session service. */
final class ExchangeRegistrationsFactory {

    private static final Logger log = LoggerFactory.getLogger(ExchangeRegistrationsFactory.class);

    /** Breaker defaults when {@code resilience4j.circuitbreaker.instances.<name>} is not configured. */
    static final CircuitBreakerConfig DEFAULT_BREAKER = ExchangeBreakerPolicy.appliedTo(CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(20)
            .minimumNumberOfCalls(5)
            .failureRateThreshold(50)
            .waitDurationInOpenState(Duration.ofSeconds(10))
            .permittedNumberOfCallsInHalfOpenState(2)
            // Outcomes are recorded on event loops, many at once when a burst of exchanges completes: the
            // default window takes a lock there, which parks an event loop under contention.
            .slidingWindowSynchronizationStrategy(CircuitBreakerConfig.SlidingWindowSynchronizationStrategy.LOCK_FREE)
            .build());

    private ExchangeRegistrationsFactory() {
    }

    /** Where timeouts and back-offs fire: {@link EventLoopTimer}. */
    static Scheduler timer() {
        return new EventLoopTimer();
    }

    static String breakerName(String registration) {
        return "salesforce-token-exchange-" + registration;
    }

    static ExchangeRegistrations create(TokenExchangeProperties properties, TokenEndpointTransport transport,
            CircuitBreakerRegistry breakers, SessionCache cache, RefusalMemory refusals, SessionEvents events,
            ObservationRegistry observations, SubjectResolvers subjectResolvers, Clock clock, Ticker ticker,
            MeterRegistry meters) {
        RegistrationValidator.validateGlobal(properties);
        RegistrationValidator.validateForwardingGlobal(properties);
        Scheduler timer = timer();
        Map<String, ExchangeRegistration> registrations = new LinkedHashMap<>();
        properties.getRegistrations().forEach((name, registration) -> {
            ExchangeSettings settings = RegistrationValidator.settings(name, registration,
                    properties.getPlainHttpHosts());
            RegistrationValidator.validateForwarding(name, registration);
            TokenExchanger exchanger = new TokenExchanger(transport, settings, clock);
            ExchangeGuard guard = guard(name, properties, breakers, timer);
            SessionPolicy policy = new SessionPolicy(name, settings.request().tokenHandler(), lifetime(registration, properties),
                    newOpaqueSubjects(name, registration.getSubject()));
            SessionService sessions = new SessionService(policy, cache, refusals,
                    new GuardedTokenExchange(exchanger, guard, name, observations), events);
            registrations.put(name, new ExchangeRegistration(name, subjectResolvers.forRegistration(name, registration), sessions,
                    forwarding(registration), apiUsage(name, registration.getApiUsage(), meters, ticker)));
            log.info("Salesforce token exchange registration '{}': {}", name, settings);
        });
        return new ExchangeRegistrations(registrations);
    }

    private static ExchangeGuard guard(String name, TokenExchangeProperties properties, CircuitBreakerRegistry breakers,
            Scheduler timer) {
        String breakerName = breakerName(name);
        CircuitBreaker breaker = breakers.find(breakerName)
                .map(configured -> withPolicy(breakers, configured))
                .orElseGet(() -> breakers.circuitBreaker(breakerName, DEFAULT_BREAKER));
        Bulkhead bulkhead = Bulkhead.of(breakerName, BulkheadConfig.custom()
                .maxConcurrentCalls(properties.getExchange().maxConcurrent())
                .maxWaitDuration(Duration.ZERO)
                .writableStackTraceEnabled(false) // a refusal becomes an ExchangeFailure at once: its trace is never read
                .build());
        return new ExchangeGuard(breaker, bulkhead, properties.getExchange().timeout(), timer);
    }

    /**
     * The breaker a user configured under {@code resilience4j.circuitbreaker.instances.<name>},
     * replaced in the registry by one of the same configuration with {@link ExchangeBreakerPolicy}.
     */
    private static CircuitBreaker withPolicy(CircuitBreakerRegistry breakers, CircuitBreaker configured) {
        CircuitBreaker guarded = CircuitBreaker.of(configured.getName(),
                ExchangeBreakerPolicy.appliedTo(configured.getCircuitBreakerConfig()), configured.getTags());
        breakers.replace(configured.getName(), guarded);
        return guarded;
    }

    /**
     * How long sessions are used: the session timeout, and with opaque tokens at most the
     * opaque token lifetime, after which the token is exchanged (so judged by Salesforce) again.
     */
    private static SessionLifetime lifetime(RegistrationProperties registration, TokenExchangeProperties properties) {
        Duration timeout = registration.getSessionTimeout();
        Duration opaqueLimit = registration.getSubject().getOpaqueTokenLifetime();
        if (!registration.getSubject().isValidate() && opaqueLimit.compareTo(timeout) < 0) {
            timeout = opaqueLimit;
        }
        return new SessionLifetime(timeout, properties.getCache().refreshAhead());
    }

    private static NewOpaqueSubjectLimiter newOpaqueSubjects(String name, SubjectProperties subject) {
        if (subject.isValidate()) {
            return null;
        }
        SubjectProperties.OpaqueAdmission admission = subject.getOpaqueAdmission();
        return new NewOpaqueSubjectLimiter(name, admission.getPerClientLimit(), admission.getGlobalLimit(),
                admission.getLimitPeriod(), admission.getMaxTrackedClients());
    }

    private static ApiUsageMonitor apiUsage(String name, TokenExchangeProperties.ApiUsage apiUsage, MeterRegistry meters,
            Ticker ticker) {
        return new ApiUsageMonitor(name, new ApiUsagePolicy(apiUsage.warnAt(), apiUsage.shedAbove(), apiUsage.retryAfter()),
                meters, ticker);
    }

    private static ForwardingPolicy forwarding(RegistrationProperties registration) {
        return new ForwardingPolicy(registration.getSessionPaths(), registration.getStrippedRequestHeaders(),
                registration.getStrippedQueryParameters(), registration.getStrippedResponseHeaders());
    }
}
