package io.sfgateway.tokenexchange.exchange;

import java.net.URI;
import java.util.Objects;

/**
 * The connected app at one token endpoint: where the form goes and who sends it.
 *
 * @param tokenEndpoint {@code <login-url>/services/oauth2/token}
 * @param clientId always sent as {@code client_id}
 * @param clientSecret sent as {@code client_secret} and used to check {@code signature};
 *     {@code null} for a public client
 */
public record TokenClient(URI tokenEndpoint, String clientId, String clientSecret) {

    public TokenClient {
        Objects.requireNonNull(tokenEndpoint, "tokenEndpoint");
        Objects.requireNonNull(clientId, "clientId");
    }

    public boolean isConfidential() {
        return clientSecret != null;
    }

    /** Never the secret. */
    @Override
    public String toString() {
        return "tokenEndpoint=" + tokenEndpoint + ", clientId=" + clientId + ", confidential=" + isConfidential();
    }
}
