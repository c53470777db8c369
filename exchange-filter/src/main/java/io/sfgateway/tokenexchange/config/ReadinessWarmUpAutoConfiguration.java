package io.sfgateway.tokenexchange.config;

import io.sfgateway.tokenexchange.warmup.WarmReadinessIndicator;
import io.sfgateway.tokenexchange.warmup.WarmUp;
import io.sfgateway.tokenexchange.warmup.WarmUpPolicy;
import io.sfgateway.tokenexchange.warmup.WarmUpStep;
import io.sfgateway.tokenexchange.web.ExchangeRegistrations;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.context.annotation.Bean;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;

/**
 * Ready means ready: the readiness probe answers UP only once the {@link WarmUp} is done (each
 * registration's IdP keys fetched, the token-endpoint and forwarding clients warmed, Redis answered
 * when the shared store is on), and stays UP whatever those do afterwards.
 *
 * <p>It does so by replacing Spring Boot's {@code readinessStateHealthIndicator} (by that bean
 * name, as Boot lets any application do) with a {@link WarmReadinessIndicator}: the
 * {@code readinessState} entry of the readiness group, so nothing is to configure, also where an
 * application lists its own readiness group members. An application's own bean of that name, or
 * its own {@link WarmUp}, replaces the library's. Other {@link WarmUpStep} beans join the warm-up.
 */
@AutoConfiguration(
        after = {TokenExchangeAutoConfiguration.class, SharedSessionStoreAutoConfiguration.class},
        afterName = "org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration",
        beforeName = {"org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration",
                "org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration"})
@ConditionalOnClass(name = "org.springframework.boot.health.application.ReadinessStateHealthIndicator")
@ConditionalOnBean(ExchangeRegistrations.class)
public class ReadinessWarmUpAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    public WarmUp salesforceWarmUp(TokenExchangeProperties properties, ExchangeRegistrations registrations,
            TokenEndpointClients clients, ObjectProvider<WarmUpStep> otherSteps,
            @Qualifier("salesforceTokenExchangeClock") Clock clock) {
        List<WarmUpStep> steps = new ArrayList<>(WarmUpSteps.of(properties, registrations, clients));
        otherSteps.orderedStream().forEach(steps::add);
        return new WarmUp(steps, WarmUpPolicy.DEFAULTS, ExchangeRegistrationsFactory.timer(), clock);
    }

    /** The gateway's forwarding client (Spring Cloud Gateway's {@code HttpClient} bean), warmed. */
    @Bean
    WarmUpStep salesforceForwardingClientWarmUp(ObjectProvider<HttpClient> forwardingClients) {
        return WarmUpStep.required("forwarding client",
                Flux.defer(() -> Flux.fromStream(forwardingClients.stream())).concatMap(HttpClient::warmup).then());
    }

    @Bean
    @ConditionalOnMissingBean(name = "readinessStateHealthIndicator")
    @ConditionalOnBean(ApplicationAvailability.class)
    @ConditionalOnBooleanProperty(name = "management.endpoint.health.probes.enabled", matchIfMissing = true)
    public WarmReadinessIndicator readinessStateHealthIndicator(ApplicationAvailability availability, WarmUp warmUp) {
        return new WarmReadinessIndicator(availability, warmUp);
    }
}
