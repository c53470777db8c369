package io.sfgateway.tokenexchange.session;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.sfgateway.tokenexchange.ExchangeFailure;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;

/**
 * Bounds how fast new opaque tokens may cost exchanges on one registration: each one is a call
 * to Salesforce, and random strings are free to make. Two Resilience4j {@link RateLimiter}s
 * must both give a permit, without waiting: the client address's own (kept in a bounded
 * Caffeine cache, least recently seen forgotten first) and the registration's global one.
 * Only tokens that would start an exchange ask; cached sessions and requests joining an
 * exchange in flight never do.
 *
 * <p>An IPv6 client is limited by its /64, the block one host is usually given. Behind a
 * proxy the address is the proxy's unless the application resolves forwarded addresses
 * ({@code server.forward-headers-strategy}).
 */
public final class NewOpaqueSubjectLimiter {

    private final String registration;
    private final RateLimiterConfig perClient;
    private final RateLimiter global;
    private final Cache<String, RateLimiter> clients;
    private final long retryAfterSeconds;

    public NewOpaqueSubjectLimiter(String registration, int perClientLimit, int globalLimit, Duration period,
            int maxTrackedClients) {
        this.registration = registration;
        this.perClient = config(perClientLimit, period);
        this.global = RateLimiter.of("salesforce-opaque-subjects-" + registration, config(globalLimit, period));
        Duration idle = period.multipliedBy(2).compareTo(Duration.ofMinutes(1)) > 0 ? period.multipliedBy(2)
                : Duration.ofMinutes(1);
        this.clients = Caffeine.newBuilder()
                .maximumSize(maxTrackedClients)
                .expireAfterAccess(idle) // a limiter idle this long has refilled anyway
                .executor(Runnable::run)
                .build();
        this.retryAfterSeconds = Math.max(1, (period.toMillis() + 999) / 1000);
    }

    private static RateLimiterConfig config(int limit, Duration period) {
        return RateLimiterConfig.custom()
                .limitForPeriod(limit)
                .limitRefreshPeriod(period)
                .timeoutDuration(Duration.ZERO) // never wait: answer at once
                .build();
    }

    /**
     * Takes a permit for one new opaque token from {@code client}.
     *
     * @return {@code null} when admitted, else the failure to answer (429 with Retry-After)
     */
    public ExchangeFailure admit(InetSocketAddress client) {
        RateLimiter own = clients.get(clientKey(client), key -> RateLimiter.of("client", perClient));
        if (!own.acquirePermission()) {
            return new ExchangeFailure(ExchangeFailure.Kind.RATE_LIMITED,
                    "too many new opaque tokens from one client on registration " + registration, retryAfterSeconds);
        }
        if (!global.acquirePermission()) {
            return new ExchangeFailure(ExchangeFailure.Kind.RATE_LIMITED,
                    "too many new opaque tokens on registration " + registration, retryAfterSeconds);
        }
        return null;
    }

    static String clientKey(InetSocketAddress client) {
        if (client == null) {
            return "unknown";
        }
        InetAddress address = client.getAddress();
        if (address == null) {
            return client.getHostString();
        }
        if (address instanceof Inet6Address) {
            byte[] prefix = Arrays.copyOf(address.getAddress(), 8);
            return "v6:" + java.util.HexFormat.of().formatHex(prefix) + "/64";
        }
        return address.getHostAddress();
    }
}
