package io.sfgateway.tokenexchange.warmup;

import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.health.application.ReadinessStateHealthIndicator;

/**
 * Spring Boot's {@code readinessState} health indicator (same name, same place in the readiness
 * group), which answers {@link ReadinessState#REFUSING_TRAFFIC} (OUT_OF_SERVICE: 503 on
 * {@code /actuator/health/readiness}) until the {@link WarmUp} is done. From then on it answers as
 * Spring Boot's does: nothing warm-up checked (the IdP, Redis) can take readiness down again; only
 * the application's own state (shutting down) does.
 */
public final class WarmReadinessIndicator extends ReadinessStateHealthIndicator {

    private final WarmUp warmUp;

    public WarmReadinessIndicator(ApplicationAvailability availability, WarmUp warmUp) {
        super(availability);
        this.warmUp = warmUp;
    }

    @Override
    protected AvailabilityState getState(ApplicationAvailability availability) {
        return warmUp.isDone() ? super.getState(availability) : ReadinessState.REFUSING_TRAFFIC;
    }
}
