package io.sfgateway.tokenexchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** One observation per subscription, child of the caller's, with the outcome of what the call answered. */
class ObservedCallTest {

    private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();
    private final ObservationRegistry registry = ObservationRegistry.create();
    private final ObservedCall call = new ObservedCall("test.call", "test call", KeyValues.of("registration", "acme"));

    ObservedCallTest() {
        registry.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public void onStop(Observation.Context context) {
                stopped.add(context);
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        });
    }

    @Test
    void aValueAnEmptyAnswerAndAnErrorEachGetTheirOutcome() {
        StepVerifier.create(call.observe(Mono.just("session"), registry, ObservedCallTest::outcome)).expectNext("session").verifyComplete();
        StepVerifier.create(call.observe(Mono.<String>empty(), registry, ObservedCallTest::outcome)).verifyComplete();
        StepVerifier.create(call.observe(Mono.<String>error(new IllegalStateException("down")), registry, ObservedCallTest::outcome))
                .verifyError(IllegalStateException.class);

        assertThat(stopped).extracting(context -> context.getLowCardinalityKeyValue("outcome").getValue())
                .containsExactly("found", "absent", "failed");
        assertThat(stopped).allSatisfy(context -> {
            assertThat(context.getName()).isEqualTo("test.call");
            assertThat(context.getContextualName()).isEqualTo("test call");
            assertThat(context.getLowCardinalityKeyValue("registration").getValue()).isEqualTo("acme");
        });
        assertThat(stopped.get(2).getError()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aCancelledCallIsCancelled() {
        StepVerifier.create(call.observe(Mono.<String>never(), registry, ObservedCallTest::outcome))
                .expectSubscription().thenCancel().verify(Duration.ofSeconds(5));
        assertThat(stopped).singleElement().extracting(context -> context.getLowCardinalityKeyValue("outcome"))
                .isEqualTo(KeyValue.of("outcome", ObservedCall.CANCELLED));
    }

    @Test
    void theObservationIsAChildOfTheOneTheReactorContextCarries() {
        Observation parent = Observation.start("caller", registry);
        StepVerifier.create(call.observe(Mono.just("session"), registry, ObservedCallTest::outcome)
                        .contextWrite(context -> context.put(ObservationThreadLocalAccessorKey.KEY, parent)))
                .expectNext("session").verifyComplete();
        parent.stop();
        assertThat(stopped.get(0).getName()).isEqualTo("test.call");
        assertThat(stopped.get(0).getParentObservation()).isSameAs(parent);
    }

    @Test
    void withoutARegistryTheCallIsUntouched() {
        Mono<String> plain = Mono.just("session");
        assertThat(call.observe(plain, ObservationRegistry.NOOP, ObservedCallTest::outcome)).isSameAs(plain);
    }

    private static String outcome(String value, Throwable error) {
        return error != null ? "failed" : value != null ? "found" : "absent";
    }

    /** The key WebFlux and Reactor keep the current observation under (ObservationThreadLocalAccessor.KEY). */
    private static final class ObservationThreadLocalAccessorKey {
        static final String KEY = "micrometer.observation";
    }
}
