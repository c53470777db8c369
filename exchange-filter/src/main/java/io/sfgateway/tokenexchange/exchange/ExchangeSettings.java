package io.sfgateway.tokenexchange.exchange;

import java.net.URI;
import java.util.Objects;

/**
 * Everything one registration sends to, and accepts from, Salesforce's token endpoint.
 *
 * @param registration the registration's name (for logs and metrics)
 * @param tokenEndpoint {@code <login-url>/services/oauth2/token}
 * @param clientId always sent as {@code client_id}
 * @param clientSecret sent as {@code client_secret} and used to check {@code signature};
 *     {@code null} for a public client
 * @param grantType the full grant-type URN
 * @param subjectTokenType the full subject-token-type URN
 * @param scope space-separated scopes, or {@code null} to send none
 * @param tokenHandler the Apex token exchange handler's name, or {@code null} to send none
 * @param allowlist where the session's {@code instance_url} may point
 */
public record ExchangeSettings(
        String registration,
        URI tokenEndpoint,
        String clientId,
        String clientSecret,
        String grantType,
        String subjectTokenType,
        String scope,
        String tokenHandler,
        InstanceUrlAllowlist allowlist) {

    public static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    public static final String HYBRID_TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:hybrid-token-exchange";
    public static final String TOKEN_TYPE_PREFIX = "urn:ietf:params:oauth:token-type:";
    /** The JWT subject token type as Salesforce documents it (upper case), what the {@code jwt} shorthand sends. */
    public static final String TOKEN_TYPE_JWT = TOKEN_TYPE_PREFIX + "JWT";

    public ExchangeSettings {
        Objects.requireNonNull(registration, "registration");
        Objects.requireNonNull(tokenEndpoint, "tokenEndpoint");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(grantType, "grantType");
        Objects.requireNonNull(subjectTokenType, "subjectTokenType");
        Objects.requireNonNull(allowlist, "allowlist");
    }

    public boolean isConfidential() {
        return clientSecret != null;
    }

    @Override
    public String toString() {
        return "ExchangeSettings[registration=" + registration + ", tokenEndpoint=" + tokenEndpoint + ", clientId="
                + clientId + ", confidential=" + isConfidential() + ", grantType=" + grantType + ", subjectTokenType="
                + subjectTokenType + ", scope=" + scope + ", tokenHandler=" + tokenHandler + "]";
    }
}
