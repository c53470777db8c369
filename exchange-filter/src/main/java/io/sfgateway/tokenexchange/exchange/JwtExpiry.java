package io.sfgateway.tokenexchange.exchange;

import java.util.Base64;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the {@code exp} of a JWT-format Salesforce access token ({@code token_format: jwt}).
 * Read, not verified: the token is Salesforce's, for Salesforce; the gateway only needs to know
 * when it stops working. A full JOSE library would parse the header and signature too, for
 * nothing.
 */
final class JwtExpiry {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private JwtExpiry() {
    }

    /**
     * The token's {@code exp} in epoch millis, or 0 when the token is not a JWT or its claims
     * hold no numeric {@code exp}.
     */
    static long epochMillis(String token) {
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (second <= first + 1) {
            return 0;
        }
        try {
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(token.substring(first + 1, second)));
            JsonNode exp = claims == null || !claims.isObject() ? null : claims.get("exp");
            return exp != null && exp.isNumber() && exp.asLong() > 0 ? exp.asLong() * 1000 : 0;
        } catch (IllegalArgumentException | JacksonException notJson) {
            return 0;
        }
    }
}
