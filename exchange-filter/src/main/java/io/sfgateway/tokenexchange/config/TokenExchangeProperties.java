package io.sfgateway.tokenexchange.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Positive;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code salesforce.token-exchange.*} (see docs/CONFIGURATION.md). Ranges are checked when the values
 * are bound (Bean Validation, {@code @Validated}); {@link RegistrationValidator} checks what depends
 * on more than one value at start-up. Either way the failure names the offending key.
 *
 * @param registrations the Salesforce registrations, by the name routes give the filter
 * @param cache the session cache
 * @param exchange the token exchange calls
 * @param replayLimit the largest request body kept to replay a request once after Salesforce
 *     answers 401 for a stale session
 * @param replayBudget the most request-body bytes held for replays at once, over all requests;
 *     a request whose body would not fit in what is left is streamed and not replayable
 * @param minRenewalInterval the least time between two sessions of one subject replaced because
 *     Salesforce called them invalid; a 401 sooner goes back to the caller and the session stays
 * @param plainHttpHosts host names, besides loopback, that login-url, issuer-uri, jwks-uri
 *     and allowlist entries may reach over plain http: only for a test org inside one
 *     private network (the Kubernetes dev overlay's emulator); empty by default
 */
@ConfigurationProperties("salesforce.token-exchange")
@Validated
public record TokenExchangeProperties(
        Map<String, @Valid Registration> registrations,
        @DefaultValue @Valid Cache cache,
        @DefaultValue @Valid Exchange exchange,
        @DefaultValue("256KB") DataSize replayLimit,
        @DefaultValue("64MB") DataSize replayBudget,
        @DefaultValue("30s") @DurationMin(nanos = 0) Duration minRenewalInterval,
        List<String> plainHttpHosts) {

    @ConstructorBinding
    public TokenExchangeProperties {
        registrations = registrations == null ? Map.of() : registrations;
        replayBudget = replayBudget == null ? DataSize.ofMegabytes(64) : replayBudget;
        minRenewalInterval = minRenewalInterval == null ? Duration.ofSeconds(30) : minRenewalInterval;
        plainHttpHosts = plainHttpHosts == null ? List.of() : List.copyOf(plainHttpHosts);
    }

    /** The properties with the defaults of every component added after {@code replayLimit}. */
    public TokenExchangeProperties(Map<String, Registration> registrations, Cache cache, Exchange exchange,
            DataSize replayLimit) {
        this(registrations, cache, exchange, replayLimit, null, null, null);
    }

    /**
     * One Salesforce org and External Client App the gateway exchanges tokens with.
     *
     * @param loginUrl My Domain or Experience Cloud site URL; the token endpoint is
     *     {@code <login-url>/services/oauth2/token}
     * @param clientId the app's consumer key
     * @param clientSecret the app's consumer secret; empty or absent for a public client (no
     *     {@code client_secret} is sent)
     * @param grantType {@code token-exchange}, {@code hybrid-token-exchange}, or a full URN
     * @param subjectTokenType {@code access_token}, {@code refresh_token}, {@code id_token},
     *     {@code saml2}, {@code jwt}, or a full URN
     * @param tokenHandler the Apex token exchange handler, sent as {@code token_handler}
     * @param scopes scopes sent space-separated as {@code scope}
     * @param sessionTimeout the org's (or app's) session timeout; Salesforce sends no expires_in
     * @param instanceUrlAllowlist {@code scheme://host[:port]} patterns a session's
     *     {@code instance_url} must match; a host may begin with {@code *.}; defaults to the
     *     login URL's origin
     * @param subject local validation of the caller's token
     * @param sessionPaths raw path prefixes the Salesforce session is sent to; a request outside
     *     them is refused (404) before any exchange, whatever the route's predicates say
     * @param strippedRequestHeaders caller headers never sent to Salesforce (case-insensitive)
     * @param strippedQueryParameters query parameters never sent to Salesforce (names compared
     *     case-insensitively, after percent-decoding)
     * @param strippedResponseHeaders Salesforce answer headers never sent back to the caller
     * @param apiUsage what to do with the org's API usage read from Salesforce's answers
     */
    public record Registration(
            URI loginUrl,
            String clientId,
            String clientSecret,
            @DefaultValue("token-exchange") String grantType,
            @DefaultValue("access_token") String subjectTokenType,
            String tokenHandler,
            List<String> scopes,
            @DefaultValue("2h") @DurationMin(seconds = 1) Duration sessionTimeout,
            List<String> instanceUrlAllowlist,
            @DefaultValue @Valid @NestedConfigurationProperty SubjectProperties subject,
            @DefaultValue({"/services/data/", "/services/apexrest/"})
            List<String> sessionPaths,
            @DefaultValue({"Cookie", "X-SFDC-Session"}) List<String> strippedRequestHeaders,
            @DefaultValue("access_token") List<String> strippedQueryParameters,
            @DefaultValue("Set-Cookie") List<String> strippedResponseHeaders,
            @DefaultValue @Valid ApiUsage apiUsage) {

        /** The defaults of {@link #sessionPaths}: Salesforce's API surface. */
        public static final List<String> DEFAULT_SESSION_PATHS =
                List.of("/services/data/", "/services/apexrest/");

        public Registration {
            sessionPaths = sessionPaths == null ? DEFAULT_SESSION_PATHS : List.copyOf(sessionPaths);
            strippedRequestHeaders = strippedRequestHeaders == null ? List.of("Cookie", "X-SFDC-Session")
                    : List.copyOf(strippedRequestHeaders);
            strippedQueryParameters = strippedQueryParameters == null ? List.of("access_token")
                    : List.copyOf(strippedQueryParameters);
            strippedResponseHeaders = strippedResponseHeaders == null ? List.of("Set-Cookie")
                    : List.copyOf(strippedResponseHeaders);
            scopes = scopes == null ? List.of() : List.copyOf(scopes);
            instanceUrlAllowlist = instanceUrlAllowlist == null ? List.of() : List.copyOf(instanceUrlAllowlist);
            apiUsage = apiUsage == null ? new ApiUsage(null, null, null) : apiUsage;
        }

        @Override
        public String toString() {
            return "Registration[loginUrl=" + loginUrl + ", clientId=" + clientId + ", clientSecret="
                    + (clientSecret == null || clientSecret.isEmpty() ? "(none)" : "(set)") + ", grantType=" + grantType
                    + ", subjectTokenType=" + subjectTokenType + "]";
        }
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
