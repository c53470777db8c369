package io.sfgateway.loadtests.simulations;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.PopulationBuilder;
import java.util.List;

/**
 * One load shape: its populations and assertions (built when the simulation is), its preparation (the
 * simulation's {@code before()}: minting IdP tokens, setting the org up) and its checks (the simulation's
 * {@code after()}: they throw, which fails the Gatling run). A simulation runs one workload; the smoke chains all.
 */
abstract class Workload {

    final LoadContext ctx;

    Workload(LoadContext ctx) {
        this.ctx = ctx;
    }

    abstract String name();

    /** Runs in {@code before()}. */
    abstract void prepare();

    /** Started together; a workload that is followed by another has exactly one. */
    abstract List<PopulationBuilder> populations();

    abstract List<Assertion> assertions();

    /** Runs in {@code after()}; throws to fail the run. */
    abstract void verify();
}
