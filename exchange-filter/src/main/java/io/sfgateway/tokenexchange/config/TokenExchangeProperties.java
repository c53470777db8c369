package io.sfgateway.tokenexchange.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code salesforce.token-exchange.*} (see docs/CONFIGURATION.md). Ranges are checked when the values
 * are bound (Bean Validation, {@code @Validated}); {@link RegistrationValidator} checks what depends
 * on more than one value at start-up. Either way the failure names the offending key.
 */
@ConfigurationProperties("salesforce.token-exchange")
@Validated
public class TokenExchangeProperties {

    /** The Salesforce registrations, by the name routes give the filter. */
    private final Map<String, @Valid RegistrationProperties> registrations = new LinkedHashMap<>();

    /** The session cache. */
    @Valid
    private Cache cache = new Cache(100_000, 0.75, Duration.ofSeconds(5));

    /** The token exchange calls. */
    @Valid
    private Exchange exchange = new Exchange(Duration.ofSeconds(3), 64, Duration.ofSeconds(2), DataSize.ofKilobytes(64),
            128);

    /**
     * The largest request body kept to replay a request once after Salesforce answers 401 for a
     * stale session.
     */
    private DataSize replayLimit = DataSize.ofKilobytes(256);

    /**
     * The most request-body bytes held for replays at once, over all requests; a request whose
     * body would not fit in what is left is streamed and not replayable.
     */
    private DataSize replayBudget = DataSize.ofMegabytes(64);

    /**
     * The least time between two sessions of one subject replaced because Salesforce called them
     * invalid; a 401 sooner goes back to the caller and the session stays.
     */
    @DurationMin(nanos = 0)
    private Duration minRenewalInterval = Duration.ofSeconds(30);

    /**
     * Host names, besides loopback, that login-url, issuer-uri, jwks-uri and allowlist entries may
     * reach over plain http: only for a test org inside one private network (the Kubernetes dev
     * overlay's emulator); empty by default.
     */
    private List<String> plainHttpHosts = List.of();

    public Map<String, RegistrationProperties> getRegistrations() {
        return this.registrations;
    }

    public Cache getCache() {
        return this.cache;
    }

    public void setCache(Cache cache) {
        this.cache = cache;
    }

    public Exchange getExchange() {
        return this.exchange;
    }

    public void setExchange(Exchange exchange) {
        this.exchange = exchange;
    }

    public DataSize getReplayLimit() {
        return this.replayLimit;
    }

    public void setReplayLimit(DataSize replayLimit) {
        this.replayLimit = replayLimit;
    }

    public DataSize getReplayBudget() {
        return this.replayBudget;
    }

    public void setReplayBudget(DataSize replayBudget) {
        this.replayBudget = replayBudget;
    }

    public Duration getMinRenewalInterval() {
        return this.minRenewalInterval;
    }

    public void setMinRenewalInterval(Duration minRenewalInterval) {
        this.minRenewalInterval = minRenewalInterval;
    }

    public List<String> getPlainHttpHosts() {
        return this.plainHttpHosts;
    }

    public void setPlainHttpHosts(List<String> plainHttpHosts) {
        this.plainHttpHosts = List.copyOf(plainHttpHosts);
    }

    /**
     * The org's API usage, read from the {@code Sforce-Limit-Info} header of Salesforce's answers
     * ({@code registrations.<name>.api-usage.*}).
     *
     * @param warnAt shares of the org's daily API limit (each in (0, 1]) at which one WARN is
     *     logged as usage crosses them upwards
     * @param shedAbove a share in (0, 1]: above it, new requests are answered 429 with
     *     {@code Retry-After} without calling Salesforce; absent (the default), nothing is shed
     * @param retryAfter the {@code Retry-After} of a shed request, and how often one request is
     *     let through while shedding to read the usage again
     */
    public record ApiUsage(
            @DefaultValue({"0.80", "0.95"})
            List<@DecimalMin(value = "0", inclusive = false) @DecimalMax("1") Double> warnAt,
            @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") Double shedAbove,
            @DefaultValue("60s") @DurationMin(seconds = 1) Duration retryAfter) {

        @ConstructorBinding
        public ApiUsage {
            warnAt = warnAt == null ? List.of(0.80, 0.95) : List.copyOf(warnAt);
            retryAfter = retryAfter == null ? Duration.ofSeconds(60) : retryAfter;
        }
    }

    /**
     * @param maximumSize the most sessions kept, over all registrations
     * @param refreshAhead the fraction of session-timeout after which a hit also starts a
     *     background re-exchange
     * @param rejectionTtl how long a subject token Salesforce refused is answered 401 without
     *     asking Salesforce again
     * @param shared the second-level store in Redis shared by every replica
     */
    public record Cache(
            @DefaultValue("100000") @Positive long maximumSize,
            @DefaultValue("0.75") @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") double refreshAhead,
            @DefaultValue("5s") @DurationMin(nanos = 0) Duration rejectionTtl,
            @DefaultValue @Valid Shared shared) {

        @ConstructorBinding
        public Cache {
            shared = shared == null ? new Shared(false, null, Map.of(), Duration.ofMillis(500), List.of()) : shared;
        }

        /** A cache with the shared store off. */
        public Cache(long maximumSize, double refreshAhead, Duration rejectionTtl) {
            this(maximumSize, refreshAhead, rejectionTtl, null);
        }
    }

    /**
     * Sessions shared by every replica through Redis (connection: {@code spring.data.redis.*}).
     *
     * @param enabled whether to use the shared store; off, nothing about Redis is loaded
     * @param keyId the id of the key in keys that seals new values
     * @param keys key id to base64 of 32 random bytes (AES-256-GCM); every listed key still opens
     *     values, so keys rotate without a flush
     * @param timeout the longest one Redis call may take
     * @param plainHosts Redis hosts off loopback that may be reached without TLS and without
     *     credentials; any other such host stops start-up
     */
    public record Shared(
            @DefaultValue("false") boolean enabled,
            String keyId,
            Map<String, String> keys,
            @DefaultValue("500ms") @DurationMin(nanos = 1) Duration timeout,
            List<String> plainHosts) {

        public Shared {
            keys = keys == null ? Map.of() : Map.copyOf(keys);
            plainHosts = plainHosts == null ? List.of() : List.copyOf(plainHosts);
        }

        @Override
        public String toString() {
            return "Shared[enabled=" + enabled + ", keyId=" + keyId + ", keys=" + keys.keySet() + ", timeout=" + timeout
                    + ", plainHosts=" + plainHosts + "]";
        }
    }

    /**
     * @param timeout the longest an exchange may take, connection included
     * @param maxConcurrent exchanges in flight per registration; more are refused with 503
     * @param connectTimeout the TCP connect timeout to the token endpoint
     * @param maxResponseSize the largest token endpoint answer read
     * @param maxConnections the token endpoint connection pool's size
     */
    public record Exchange(
            @DefaultValue("3s") @DurationMin(nanos = 1) Duration timeout,
            @DefaultValue("64") @Positive int maxConcurrent,
            @DefaultValue("2s") @DurationMin(nanos = 1) Duration connectTimeout,
            @DefaultValue("64KB") DataSize maxResponseSize,
            @DefaultValue("128") @Positive int maxConnections) {
    }
}
