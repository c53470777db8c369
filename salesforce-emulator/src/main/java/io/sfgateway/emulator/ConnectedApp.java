package io.sfgateway.emulator;

import java.util.Objects;
import java.util.Set;

/**
 * A connected app (or external client app) enabled for the token exchange flow.
 *
 * @param clientId           the consumer key
 * @param clientSecret       the consumer secret; {@code null} (or empty) for a public client, which sends none
 * @param acceptedTokenTypes the {@code subject_token_type} URNs the app's handler accepts
 * @param tokenHandlers      names of the token exchange handlers linked to the app; a request that names none
 *                           gets the app's default handler, if {@link OrgPolicies#defaultHandlerSet} says one is
 *                           ticked. Compared case-insensitively, like Apex class names.
 */
public record ConnectedApp(String clientId, String clientSecret, Set<String> acceptedTokenTypes,
        Set<String> tokenHandlers) {

    public static final String TOKEN_TYPE_ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";
    public static final String TOKEN_TYPE_REFRESH_TOKEN = "urn:ietf:params:oauth:token-type:refresh_token";
    public static final String TOKEN_TYPE_ID_TOKEN = "urn:ietf:params:oauth:token-type:id_token";
    public static final String TOKEN_TYPE_SAML2 = "urn:ietf:params:oauth:token-type:saml2";
    /**
     * Salesforce's spelling (Apex {@code Auth.OAuth2TokenExchangeType.JWT}); RFC 8693's lower-case
     * {@code …:jwt} is not one of the documented values and is refused.
     */
    public static final String TOKEN_TYPE_JWT = "urn:ietf:params:oauth:token-type:JWT";
    /** The same as {@link #TOKEN_TYPE_JWT}, kept for callers of the earlier name. */
    public static final String TOKEN_TYPE_JWT_UPPER = TOKEN_TYPE_JWT;
    /** The {@code subject_token_type} values Salesforce documents; nothing else is ever accepted. */
    public static final Set<String> DOCUMENTED_TOKEN_TYPES = Set.of("urn:ietf:params:oauth:token-type:access_token",
            "urn:ietf:params:oauth:token-type:refresh_token", "urn:ietf:params:oauth:token-type:id_token",
            "urn:ietf:params:oauth:token-type:saml2", TOKEN_TYPE_JWT);
    public static final String DEFAULT_TOKEN_HANDLER = "DemoTokenExchangeHandler";

    /** Token types accepted by {@link #confidential} and {@link #publicClient}. */
    public static final Set<String> DEFAULT_TOKEN_TYPES =
            Set.of(TOKEN_TYPE_ACCESS_TOKEN, TOKEN_TYPE_ID_TOKEN, TOKEN_TYPE_JWT);

    public ConnectedApp {
        Objects.requireNonNull(clientId, "clientId");
        if (clientId.isBlank()) {
            throw new IllegalArgumentException("clientId must not be blank");
        }
        clientSecret = clientSecret == null || clientSecret.isEmpty() ? null : clientSecret;
        acceptedTokenTypes = Set.copyOf(acceptedTokenTypes);
        tokenHandlers = Set.copyOf(tokenHandlers);
    }

    /** An app that requires its secret for the token exchange flow. */
    public static ConnectedApp confidential(String clientId, String clientSecret) {
        Objects.requireNonNull(clientSecret, "clientSecret");
        return new ConnectedApp(clientId, clientSecret, DEFAULT_TOKEN_TYPES, Set.of(DEFAULT_TOKEN_HANDLER));
    }

    /** An app that does not require a secret (mobile, SPA). */
    public static ConnectedApp publicClient(String clientId) {
        return new ConnectedApp(clientId, null, DEFAULT_TOKEN_TYPES, Set.of(DEFAULT_TOKEN_HANDLER));
    }

    public boolean isConfidential() {
        return clientSecret != null;
    }

    /** Whether a handler of that name is linked to the app (case-insensitive). */
    public boolean knowsHandler(String name) {
        return tokenHandlers.stream().anyMatch(h -> h.equalsIgnoreCase(name));
    }

    /** Hides the secret. */
    @Override
    public String toString() {
        return "ConnectedApp[clientId=" + clientId + ", confidential=" + isConfidential()
                + ", acceptedTokenTypes=" + acceptedTokenTypes + ", tokenHandlers=" + tokenHandlers + "]";
    }
}
