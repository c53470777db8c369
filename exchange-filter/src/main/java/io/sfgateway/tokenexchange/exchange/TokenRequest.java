package io.sfgateway.tokenexchange.exchange;

import java.util.Objects;

/**
 * What the token request asks for, beside the subject token and the client.
 *
 * @param grantType the full grant-type URN
 * @param subjectTokenType the full subject-token-type URN
 * @param scope space-separated scopes, or {@code null} to send none
 * @param tokenHandler the Apex token exchange handler's name, or {@code null} to send none
 */
public record TokenRequest(String grantType, String subjectTokenType, String scope, String tokenHandler) {

    public TokenRequest {
        Objects.requireNonNull(grantType, "grantType");
        Objects.requireNonNull(subjectTokenType, "subjectTokenType");
    }

    @Override
    public String toString() {
        return "grantType=" + grantType + ", subjectTokenType=" + subjectTokenType + ", scope=" + scope
                + ", tokenHandler=" + tokenHandler;
    }
}
