package io.sfgateway.tokenexchange.exchange;

import java.util.Objects;

/**
 * Everything one registration sends to, and accepts from, Salesforce's token endpoint.
 *
 * @param registration the registration's name (for logs and metrics)
 * @param client the token endpoint and the connected app's credentials
 * @param request the grant, subject token type, scope and token handler sent
 * @param allowlist where the session's {@code instance_url} may point
 */
public record ExchangeSettings(String registration, TokenClient client, TokenRequest request,
        InstanceUrlAllowlist allowlist) {

    public static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    public static final String HYBRID_TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:hybrid-token-exchange";
    public static final String TOKEN_TYPE_PREFIX = "urn:ietf:params:oauth:token-type:";
    /** The JWT subject token type as Salesforce documents it (upper case), what the {@code jwt} shorthand sends. */
    public static final String TOKEN_TYPE_JWT = TOKEN_TYPE_PREFIX + "JWT";

    public ExchangeSettings {
        Objects.requireNonNull(registration, "registration");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(allowlist, "allowlist");
    }

    /** Never the secret. */
    @Override
    public String toString() {
        return "ExchangeSettings[registration=" + registration + ", " + client + ", " + request + "]";
    }
}
