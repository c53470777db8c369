package io.sfgateway.loadtests.simulations;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Churn: subjects call a few times and leave, while new subjects keep arriving ({@code arrivals} per second) and
 * the ones already there keep calling. Each subject's first request exchanges, every later one hits the cache: no
 * errors, exactly one exchange per subject.
 */
final class ChurnWorkload extends Workload {

    private final int initial = ctx.knob("churn.initial", 20, 100);
    private final int arrivalsPerSec = ctx.knob("churn.arrivals.per.sec", 12, 20);
    private final Duration duration = Duration.ofSeconds(ctx.knob("churn.seconds", 3, 60));
    private final int minCalls = ctx.knob("churn.calls.min", 3, 5);
    private final int maxCalls = ctx.knob("churn.calls.max", 6, 30);
    private final Duration minPause = Duration.ofMillis(ctx.knob("churn.pause.min.ms", 100, 300));
    private final Duration maxPause = Duration.ofMillis(ctx.knob("churn.pause.max.ms", 300, 1000));
    private final String prefix = ctx.prefix("churn");
    private final TokenPool tokens = new TokenPool();
    private final AtomicLong started = new AtomicLong();

    ChurnWorkload(LoadContext ctx) {
        super(ctx);
    }

    @Override
    String name() {
        return "churn";
    }

    @Override
    void prepare() {
        // One token per arriving subject, with room for Gatling's rounding of the arrival rate.
        int needed = initial + arrivalsPerSec * (int) (duration.toSeconds() + 1) + 10;
        SplittableRandom random = new SplittableRandom(42);
        tokens.fill(ctx.admin, LoadContext.subjects(prefix, needed), LoadContext.TOKEN_TTL, i -> Map.of(
                "calls", random.nextInt(minCalls, maxCalls + 1),
                "path", i % 3 == 0 ? LoadContext.QUERY : LoadContext.LIMITS));
    }

    @Override
    List<PopulationBuilder> populations() {
        ScenarioBuilder churn = scenario("churn: new subjects arrive while others keep calling")
                .feed(tokens.queue())
                .exec(s -> {
                    started.incrementAndGet();
                    return s;
                })
                .repeat("#{calls}").on(
                        http("churn: request").get("#{path}")
                                .header("Authorization", "Bearer #{token}")
                                .check(status().is(200)),
                        pause(minPause, maxPause));
        return List.of(churn.injectOpen(
                rampUsers(initial).during(Duration.ofSeconds(1)),
                constantUsersPerSec(arrivalsPerSec).during(duration)));
    }

    @Override
    List<Assertion> assertions() {
        return List.of();
    }

    @Override
    void verify() {
        ctx.verifyExchangesPerSubject(name(), prefix, started.get());
    }
}
