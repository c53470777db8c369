package io.sfgateway.loadtests.simulations;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.pace;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Outage: the token endpoint hangs half-way ({@code POST /__admin/fault?token=HANG}) and recovers ({@code NONE}).
 *
 * <ul>
 *   <li>Cached subjects call steadily throughout: every one of their requests must succeed (subjects
 *       with a valid cached session keep working while the token endpoint is down).</li>
 *   <li>New (cold) subjects keep arriving. A cold request sent inside the outage window (from 1 s before the hang
 *       until the breaker has had time to close after recovery: exchange timeout + breaker wait + 1 s) may get 503,
 *       which must carry {@code Retry-After}, and must be answered within the exchange timeout plus slack for a
 *       loaded machine. Outside the window, cold requests must succeed. Nothing else is tolerated.</li>
 *   <li>The run must have seen at least one 503 (else the hang was not exercised), and no subject may have been
 *       exchanged more than once.</li>
 * </ul>
 */
final class OutageWorkload extends Workload {

    static final String COLD_OUTSIDE = "cold: outside the outage window";
    static final String COLD_WINDOW = "cold: inside the outage window (503 tolerated)";

    private final int cachedSubjects = ctx.knob("outage.cached.subjects", 20, 200);
    private final Duration cachedPace = Duration.ofMillis(ctx.knob("outage.cached.pace.ms", 200, 1000));
    private final int coldPerSec = ctx.knob("outage.cold.per.sec", 8, 10);
    private final Duration hangAt = Duration.ofSeconds(ctx.knob("outage.hang.at.seconds", 1, 15));
    private final Duration hangFor = Duration.ofSeconds(ctx.knob("outage.hang.seconds", 2, 20));
    private final Duration tail = Duration.ofSeconds(ctx.knob("outage.tail.seconds", 1, 15));
    private final Duration slack = Duration.ofMillis(ctx.knob("outage.slack.ms", 1500, 1500));
    /** After NONE a half-open trial may still hang (timeout), then the breaker waits once more. */
    private final Duration recovery = ctx.stack.exchangeTimeout().plus(ctx.stack.breakerWait())
            .plus(Duration.ofSeconds(1));
    /**
     * The window opens this long before the hang starts, so a cold request sent just before it opened cannot have
     * its exchange reach the hanging endpoint (the gateway sends it within milliseconds).
     */
    private final Duration lead = Duration.ofSeconds(1);
    private final Duration total = hangAt.plus(lead).plus(hangFor).plus(recovery).plus(tail);

    private final String cachedPrefix = ctx.prefix("outage-cached");
    private final String coldPrefix = ctx.prefix("outage-cold");
    private final TokenPool cachedTokens = new TokenPool();
    private final TokenPool coldTokens = new TokenPool();
    private final AtomicLong unavailable = new AtomicLong();
    private volatile boolean window;

    OutageWorkload(LoadContext ctx) {
        super(ctx);
    }

    @Override
    String name() {
        return "outage";
    }

    @Override
    void prepare() {
        cachedTokens.fill(ctx.admin, LoadContext.subjects(cachedPrefix, cachedSubjects), LoadContext.TOKEN_TTL);
        coldTokens.fill(ctx.admin, LoadContext.subjects(coldPrefix,
                coldPerSec * (int) (total.toSeconds() + 1) + 10), LoadContext.TOKEN_TTL);
        System.out.printf("[outage] the 503 window opens %s after the start; the token endpoint hangs %s later, for"
                + " %s; the window closes %s after recovery; %s in all%n", hangAt, lead, hangFor, recovery, total);
    }

    @Override
    List<PopulationBuilder> populations() {
        ScenarioBuilder cached = scenario("outage: cached subjects keep calling")
                .feed(cachedTokens.queue())
                .exec(http("cached: first request (exchange)").get(LoadContext.LIMITS)
                        .header("Authorization", "Bearer #{token}")
                        .check(status().is(200)))
                .during(total.minus(Duration.ofSeconds(1))).on(
                        pace(cachedPace).exec(http("cached: request").get(LoadContext.LIMITS)
                                .header("Authorization", "Bearer #{token}")
                                .check(status().is(200))));

        ScenarioBuilder cold = scenario("outage: cold subjects keep arriving")
                .feed(coldTokens.queue())
                .doIfOrElse(s -> window).then(
                        http(COLD_WINDOW).get(LoadContext.LIMITS)
                                .header("Authorization", "Bearer #{token}")
                                .check(status().in(200, 503).saveAs("status"))
                                .checkIf((response, s) -> response.status().code() == 503)
                                .then(header("Retry-After").exists()))
                .orElse(
                        http(COLD_OUTSIDE).get(LoadContext.LIMITS)
                                .header("Authorization", "Bearer #{token}")
                                .check(status().is(200).saveAs("status")))
                .exec(s -> {
                    if (s.contains("status") && s.getInt("status") == 503) {
                        unavailable.incrementAndGet();
                    }
                    return s;
                });

        String fault = ctx.stack.emulatorUrl() + "/__admin/fault?token=";
        ScenarioBuilder outage = scenario("outage: the token endpoint hangs and recovers")
                .pause(hangAt)
                .exec(s -> {
                    window = true;
                    return s;
                })
                .pause(lead)
                .exec(http("org: token endpoint HANG").post(fault + "HANG").check(status().is(200)))
                .pause(hangFor)
                .exec(http("org: token endpoint NONE").post(fault + "NONE").check(status().is(200)))
                .pause(recovery)
                .exec(s -> {
                    window = false;
                    return s;
                });

        return List.of(
                cached.injectOpen(rampUsers(cachedSubjects).during(Duration.ofSeconds(1))),
                cold.injectOpen(constantUsersPerSec(coldPerSec).during(total)),
                outage.injectOpen(atOnceUsers(1)));
    }

    @Override
    List<Assertion> assertions() {
        return List.of(details(COLD_WINDOW).responseTime().max()
                .lte((int) ctx.stack.exchangeTimeout().plus(slack).toMillis()));
    }

    @Override
    void verify() {
        try {
            System.out.printf("[outage] cold requests answered 503 in the outage window: %d; exchanges refused at"
                    + " once by the open breaker (gateway metric): %s%n", unavailable.get(),
                    ctx.gatewayCount("salesforce.token.exchange", "outcome:circuit_open"));
            ctx.verifyExchangesPerSubject(name(), coldPrefix, -1);
            if (unavailable.get() == 0) {
                throw new IllegalStateException("[outage] no cold request was answered 503 while the token endpoint"
                        + " hung: the outage was not exercised");
            }
        } finally {
            ctx.admin.fault("NONE");
        }
    }
}
