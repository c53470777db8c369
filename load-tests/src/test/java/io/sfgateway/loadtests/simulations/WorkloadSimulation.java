package io.sfgateway.loadtests.simulations;

import static io.gatling.javaapi.core.CoreDsl.global;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Simulation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Runs workloads one after the other ({@code andThen}): every request must succeed (each workload's checks say
 * what success is), plus each workload's own assertions; {@code before()} resets the org and prepares every
 * workload, {@code after()} runs every workload's checks and throws if any failed, which fails the Gatling run.
 */
abstract class WorkloadSimulation extends Simulation {

    final LoadContext ctx = new LoadContext();
    private final List<Workload> workloads;

    WorkloadSimulation(Function<LoadContext, List<Workload>> workloads) {
        this.workloads = workloads.apply(ctx);
        List<PopulationBuilder> chained = this.workloads.get(this.workloads.size() - 1).populations();
        for (int i = this.workloads.size() - 2; i >= 0; i--) {
            List<PopulationBuilder> stage = this.workloads.get(i).populations();
            if (stage.size() != 1) {
                throw new IllegalStateException(this.workloads.get(i).name() + " must run last: it has "
                        + stage.size() + " populations");
            }
            chained = List.of(stage.get(0).andThen(chained));
        }
        List<Assertion> assertions = new ArrayList<>();
        assertions.add(global().failedRequests().count().is(0L));
        this.workloads.forEach(w -> assertions.addAll(w.assertions()));
        setUp(chained).protocols(ctx.protocol).assertions(assertions);
    }

    @Override
    public void before() {
        System.out.printf("[%s] stack: gateway %s, org %s (%s sizes); subjects of this run contain '%s'%n",
                getClass().getSimpleName(), ctx.stack.gatewayUrl(), ctx.stack.emulatorUrl(),
                ctx.smoke ? "smoke" : "full", ctx.runId);
        ctx.admin.reset();
        workloads.forEach(Workload::prepare);
    }

    @Override
    public void after() {
        List<String> failures = new ArrayList<>();
        for (Workload workload : workloads) {
            try {
                workload.verify();
            } catch (RuntimeException e) {
                failures.add(e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            System.out.println("FAILED: " + String.join("; ", failures));
            throw new IllegalStateException(String.join("; ", failures));
        }
    }
}
