package io.sfgateway.loadtests.simulations;

import static io.gatling.javaapi.core.CoreDsl.pace;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import java.time.Duration;
import java.util.List;

/**
 * Warm: {@code subjects} subjects (1,000 in the full run) call steadily, each at its own pace. Each subject's first
 * request exchanges; every later one must be served from the session cache: no errors, and exactly one exchange per
 * subject.
 */
final class WarmWorkload extends Workload {

    private final int subjects = ctx.knob("warm.subjects", 60, 1000);
    private final Duration ramp = Duration.ofSeconds(ctx.knob("warm.ramp.seconds", 1, 10));
    private final Duration steady = Duration.ofSeconds(ctx.knob("warm.seconds", 3, 60));
    private final Duration pace = Duration.ofMillis(ctx.knob("warm.pace.ms", 250, 1000));
    private final String prefix = ctx.prefix("warm");
    private final TokenPool tokens = new TokenPool();

    WarmWorkload(LoadContext ctx) {
        super(ctx);
    }

    @Override
    String name() {
        return "warm";
    }

    @Override
    void prepare() {
        tokens.fill(ctx.admin, LoadContext.subjects(prefix, subjects), LoadContext.TOKEN_TTL);
    }

    @Override
    List<PopulationBuilder> populations() {
        ScenarioBuilder warm = scenario("warm: " + subjects + " subjects calling steadily")
                .feed(tokens.queue())
                .exec(http("warm: first request (exchange)").get(LoadContext.LIMITS)
                        .header("Authorization", "Bearer #{token}")
                        .check(status().is(200)))
                .during(steady).on(
                        pace(pace).exec(http("warm: cached session").get(LoadContext.LIMITS)
                                .header("Authorization", "Bearer #{token}")
                                .check(status().is(200))));
        return List.of(warm.injectOpen(rampUsers(subjects).during(ramp)));
    }

    @Override
    List<Assertion> assertions() {
        return List.of();
    }

    @Override
    void verify() {
        ctx.verifyExchangesPerSubject(name(), prefix, subjects);
    }
}
