package io.sfgateway.loadtests.simulations;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Cold burst: {@code bursts} times, {@code users} first requests for one new subject arrive at once (hundreds).
 * The token endpoint answers after {@code burst.token.latency.ms} (a real org takes its time), so the burst lands
 * while the first exchange is in flight: every request must succeed and each subject must be exchanged exactly
 * once (single flight).
 */
final class ColdBurstWorkload extends Workload {

    private final int bursts = ctx.knob("burst.count", 2, 5);
    private final int users = ctx.knob("burst.users", 200, 500);
    private final Duration gap = Duration.ofMillis(ctx.knob("burst.gap.ms", 700, 2000));
    private final int tokenLatencyMs = ctx.knob("burst.token.latency.ms", 200, 200);
    private final String prefix = ctx.prefix("burst");
    private final TokenPool tokens = new TokenPool();

    ColdBurstWorkload(LoadContext ctx) {
        super(ctx);
    }

    @Override
    String name() {
        return "cold burst";
    }

    /** Also sets the org's token latency, for the rest of the run. */
    @Override
    void prepare() {
        ctx.admin.latency(tokenLatencyMs, 0);
        tokens.fill(ctx.admin, LoadContext.subjects(prefix, bursts), LoadContext.TOKEN_TTL);
    }

    @Override
    List<PopulationBuilder> populations() {
        ScenarioBuilder burst = scenario("cold burst: " + bursts + " x " + users
                + " first requests for one subject at once")
                .feed(tokens.grouped(users))
                .exec(http("burst: first request").get(LoadContext.LIMITS)
                        .header("Authorization", "Bearer #{token}")
                        .check(status().is(200)));
        List<OpenInjectionStep> steps = new ArrayList<>();
        for (int i = 0; i < bursts; i++) {
            if (i > 0) {
                steps.add(nothingFor(gap));
            }
            steps.add(atOnceUsers(users));
        }
        return List.of(burst.injectOpen(steps));
    }

    @Override
    List<Assertion> assertions() {
        return List.of();
    }

    @Override
    void verify() {
        ctx.verifyExchangesPerSubject(name(), prefix, bursts);
    }
}
