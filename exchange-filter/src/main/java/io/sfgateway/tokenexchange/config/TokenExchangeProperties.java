package io.sfgateway.tokenexchange.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code salesforce.token-exchange.*} (contract §2). Values are bound as given; {@link
 * RegistrationValidator} checks them at start-up and names the offending key.
 *
 * @param registrations the Salesforce registrations, by the name routes give the filter
 * @param cache the session cache
 * @param exchange the token exchange calls
 * @param replayLimit the largest request body kept to replay a request once after Salesforce
 *     answers 401 for a stale session
 */
@ConfigurationProperties("salesforce.token-exchange")
public record TokenExchangeProperties(
        Map<String, Registration> registrations,
        @DefaultValue Cache cache,
        @DefaultValue Exchange exchange,
        @DefaultValue("256KB") DataSize replayLimit) {

    public TokenExchangeProperties {
        registrations = registrations == null ? Map.of() : registrations;
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
     */
    public record Registration(
            URI loginUrl,
            String clientId,
            String clientSecret,
            @DefaultValue("token-exchange") String grantType,
            @DefaultValue("access_token") String subjectTokenType,
            String tokenHandler,
            List<String> scopes,
            @DefaultValue("2h") Duration sessionTimeout,
            List<String> instanceUrlAllowlist,
            @DefaultValue Subject subject) {

        public Registration {
            scopes = scopes == null ? List.of() : List.copyOf(scopes);
            instanceUrlAllowlist = instanceUrlAllowlist == null ? List.of() : List.copyOf(instanceUrlAllowlist);
        }

        @Override
        public String toString() {
            return "Registration[loginUrl=" + loginUrl + ", clientId=" + clientId + ", clientSecret="
                    + (clientSecret == null || clientSecret.isEmpty() ? "(none)" : "(set)") + ", grantType=" + grantType
                    + ", subjectTokenType=" + subjectTokenType + "]";
        }
    }

    /**
     * Local validation of the caller's token as a JWT.
     *
     * @param validate whether to validate locally; false for opaque tokens, which Salesforce's
     *     handler alone validates
     * @param issuer the exact {@code iss} required
     * @param jwksUri where the IdP publishes its signing keys; required when validating
     * @param audiences accepted {@code aud} values
     * @param subjectClaim the claim naming the user
     * @param clockSkew tolerance for {@code exp} and {@code nbf}
     * @param jwksRefetchInterval the least time between two key fetches caused by an unknown
     *     {@code kid}
     */
    public record Subject(
            @DefaultValue("false") boolean validate,
            String issuer,
            URI jwksUri,
            List<String> audiences,
            @DefaultValue("sub") String subjectClaim,
            @DefaultValue("30s") Duration clockSkew,
            @DefaultValue("5s") Duration jwksRefetchInterval) {

        public Subject {
            audiences = audiences == null ? List.of() : List.copyOf(audiences);
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
            @DefaultValue("100000") long maximumSize,
            @DefaultValue("0.75") double refreshAhead,
            @DefaultValue("5s") Duration rejectionTtl,
            @DefaultValue Shared shared) {

        @ConstructorBinding
        public Cache {
            shared = shared == null ? new Shared(false, null, Map.of(), Duration.ofMillis(50)) : shared;
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
     * @param keyId the id of the key in {@code keys} that seals new values
     * @param keys key id to base64 of 32 random bytes (AES-256-GCM); every listed key still opens
     *     values, so keys rotate without a flush
     * @param timeout the longest one Redis call may take before the replica carries on without it
     */
    public record Shared(
            @DefaultValue("false") boolean enabled,
            String keyId,
            Map<String, String> keys,
            @DefaultValue("50ms") Duration timeout) {

        public Shared {
            keys = keys == null ? Map.of() : Map.copyOf(keys);
        }

        @Override
        public String toString() {
            return "Shared[enabled=" + enabled + ", keyId=" + keyId + ", keys=" + keys.keySet() + ", timeout=" + timeout
                    + "]";
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
            @DefaultValue("3s") Duration timeout,
            @DefaultValue("64") int maxConcurrent,
            @DefaultValue("2s") Duration connectTimeout,
            @DefaultValue("64KB") DataSize maxResponseSize,
            @DefaultValue("128") int maxConnections) {
    }
}
