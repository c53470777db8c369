package io.sfgateway.tokenexchange.shared;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import reactor.core.publisher.Mono;

/**
 * {@code redis} in {@code /actuator/health}: whether the shared session store reaches Redis (a
 * {@code PING} within the store's timeout, with its breaker closed). Not part of the readiness
 * group: a replica without Redis still serves every request, alone. Unlike Spring Boot's own
 * Redis indicator, which it replaces, it never opens a connection on the calling thread.
 */
public final class SharedStoreHealthIndicator implements ReactiveHealthIndicator {

    private final RedisLink link;
    private final RedisGuard guard;

    SharedStoreHealthIndicator(RedisLink link, RedisGuard guard) {
        this.link = link;
        this.guard = guard;
    }

    public static SharedStoreHealthIndicator of(RedisSessionStore store) {
        return new SharedStoreHealthIndicator(store.entries().link(), store.entries().guard());
    }

    @Override
    public Mono<Health> health() {
        return guard.call(() -> link.template().execute(connection -> connection.ping()).next())
                .map(pong -> {
                    CircuitBreaker.State breaker = guard.breaker().getState();
                    // While the breaker still half-opens, most calls are refused: the store is not in use yet.
                    return (breaker == CircuitBreaker.State.CLOSED ? Health.up() : Health.down())
                            .withDetail("breaker", breaker.name()).build();
                })
                .onErrorResume(trouble -> Mono.just(Health.down()
                        .withDetail("connected", link.connected())
                        .withDetail("breaker", guard.breaker().getState().name())
                        .withDetail("reason", trouble.getMessage()).build()));
    }
}
