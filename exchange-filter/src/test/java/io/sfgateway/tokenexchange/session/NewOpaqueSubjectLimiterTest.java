package io.sfgateway.tokenexchange.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfgateway.tokenexchange.ExchangeFailure;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NewOpaqueSubjectLimiterTest {

    private final NewOpaqueSubjectLimiter limiter = new NewOpaqueSubjectLimiter("acme", 2, 3, Duration.ofMinutes(10), 100);

    @Test
    void eachClientHasItsOwnLimitAndAllShareTheGlobalOne() {
        assertThat(limiter.admit(client("10.0.0.1"))).isNull();
        assertThat(limiter.admit(client("10.0.0.1"))).isNull();
        ExchangeFailure own = limiter.admit(client("10.0.0.1"));
        assertThat(own.kind()).isEqualTo(ExchangeFailure.Kind.RATE_LIMITED);
        assertThat(own.retryAfterSeconds()).isEqualTo(600);

        assertThat(limiter.admit(client("10.0.0.2"))).as("another client").isNull();
        assertThat(limiter.admit(client("10.0.0.2"))).as("global limit of 3 reached").isNotNull();
    }

    @Test
    void anIpv6ClientIsLimitedByItsSlash64() {
        assertThat(NewOpaqueSubjectLimiter.clientKey(client("2001:db8:1:2:aaaa::1")))
                .isEqualTo(NewOpaqueSubjectLimiter.clientKey(client("2001:db8:1:2:bbbb::7")))
                .isNotEqualTo(NewOpaqueSubjectLimiter.clientKey(client("2001:db8:1:3::1")));
        assertThat(NewOpaqueSubjectLimiter.clientKey(null)).isEqualTo("unknown");
        assertThat(limiter.admit(client("2001:db8:1:2::1"))).isNull();
        assertThat(limiter.admit(client("2001:db8:1:2::2"))).isNull();
        assertThat(limiter.admit(client("2001:db8:1:2::3"))).as("same /64").isNotNull();
    }

    private static InetSocketAddress client(String address) {
        return new InetSocketAddress(address, 40_000);
    }
}
