package io.sfgateway.emulator;

import static io.sfgateway.emulator.Exchanges.form;
import static io.sfgateway.emulator.Exchanges.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The request checks of the token endpoint, in Salesforce's order and with its error shape. */
class TokenEndpointChecksTest extends EmulatorTestBase {

    @Override
    protected EmulatorConfig config() {
        return EmulatorConfig.builder()
                .app(ConnectedApp.confidential("demo-client", "demo-secret"))
                .app(ConnectedApp.publicClient("mobile-app"))
                .build();
    }

    private void assertOAuthError(Http.Response response, String error, String description) {
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.json().propertyNames()).containsExactly("error", "error_description");
        assertThat(response.json().get("error").asString()).isEqualTo(error);
        if (description != null) {
            assertThat(response.json().get("error_description").asString()).isEqualTo(description);
        }
        assertThat(sf.counters().totalExchanges()).isZero();
    }

    @Test
    void validRequestSucceeds() {
        Http.Response response = exchange(form(aliceToken()));
        assertThat(response.status()).isEqualTo(200);
        assertThat(sf.counters().exchanges("alice")).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"client_credentials", "urn:ietf:params:oauth:grant-type:jwt-bearer", "",
            "urn:ietf:params:oauth:grant-type:TOKEN-EXCHANGE"})
    void otherGrantTypesAreUnsupported(String grantType) {
        assertOAuthError(exchange(with(form(aliceToken()), "grant_type", grantType)), "unsupported_grant_type",
                null);
    }

    @Test
    void missingGrantTypeIsUnsupported() {
        assertOAuthError(exchange(with(form(aliceToken()), "grant_type", null)), "unsupported_grant_type", null);
    }

    @Test
    void hybridGrantIsAccepted() {
        Http.Response response = exchange(with(form(aliceToken()), "grant_type",
                "urn:ietf:params:oauth:grant-type:hybrid-token-exchange"));
        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void unknownClientIsInvalidClientId() {
        assertOAuthError(exchange(with(form(aliceToken()), "client_id", "nobody")), "invalid_client_id",
                "client identifier invalid");
        assertOAuthError(exchange(with(form(aliceToken()), "client_id", null)), "invalid_client_id", null);
    }

    @Test
    void missingOrWrongSecretIsInvalidClient() {
        assertOAuthError(exchange(with(form(aliceToken()), "client_secret", null)), "invalid_client",
                "invalid client credentials");
        assertOAuthError(exchange(with(form(aliceToken()), "client_secret", "demo-secreT")), "invalid_client",
                "invalid client credentials");
        assertOAuthError(exchange(with(form(aliceToken()), "client_secret", "")), "invalid_client", null);
    }

    @Test
    void publicClientNeedsNoSecret() {
        Map<String, String> publicForm = with(with(form(aliceToken()), "client_id", "mobile-app"),
                "client_secret", null);
        Http.Response response = exchange(publicForm);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().has("signature")).isFalse();
    }

    @Test
    void missingOrBlankSubjectTokenIsInvalidRequest() {
        assertOAuthError(exchange(with(form("x"), "subject_token", null)), "invalid_request", null);
        assertOAuthError(exchange(with(form("x"), "subject_token", "  ")), "invalid_request", null);
    }

    @Test
    void subjectTokenLimitIsTenThousandCharacters() {
        String atLimit = "opaque:" + "a".repeat(10_000 - "opaque:".length());
        // At the limit the token passes the length check and reaches the handler (which knows no such user).
        assertOAuthError(exchange(form(atLimit)), "invalid_request", "token handler validation failed");
        assertOAuthError(exchange(form(atLimit + "a")), "invalid_request", null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"urn:ietf:params:oauth:token-type:saml2", "urn:ietf:params:oauth:token-type:refresh_token",
            "access_token", "urn:ietf:params:oauth:token-type:ACCESS_TOKEN"})
    void unacceptedTokenTypeIsInvalidRequest(String type) {
        assertOAuthError(exchange(with(form(aliceToken()), "subject_token_type", type)), "invalid_request",
                "unsupported subject token type");
    }

    @Test
    void missingTokenTypeIsInvalidRequest() {
        assertOAuthError(exchange(with(form(aliceToken()), "subject_token_type", null)), "invalid_request", null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"urn:ietf:params:oauth:token-type:access_token", "urn:ietf:params:oauth:token-type:id_token",
            "urn:ietf:params:oauth:token-type:JWT"})
    void defaultTokenTypesAreAccepted(String type) {
        assertThat(exchange(with(form(aliceToken()), "subject_token_type", type)).status()).isEqualTo(200);
    }

    @Test
    void onlySalesforcesSpellingOfTheJwtTypeIsAccepted() {
        // Apex Auth.OAuth2TokenExchangeType.JWT documents upper case; RFC 8693's lower case is not a documented value.
        assertOAuthError(exchange(with(form(aliceToken()), "subject_token_type", "urn:ietf:params:oauth:token-type:jwt")),
                "invalid_request", "unsupported subject token type");
    }

    @Test
    void unknownHandlerIsNotFound() {
        assertOAuthError(exchange(with(form(aliceToken()), "token_handler", "OtherHandler")), "invalid_request",
                "token handler not found");
    }

    @Test
    void knownHandlerIsAcceptedIgnoringCase() {
        assertThat(exchange(with(form(aliceToken()), "token_handler", "DemoTokenExchangeHandler")).status())
                .isEqualTo(200);
        assertThat(exchange(with(form(aliceToken()), "token_handler", "demotokenexchangehandler")).status())
                .isEqualTo(200);
    }

    @Test
    void checksRunInSalesforceOrder() {
        // Bad grant type wins over a bad client, which wins over a bad token type, which wins over the handler.
        Map<String, String> allBad = with(with(with(with(form(aliceToken()), "grant_type", "password"),
                "client_id", "nobody"), "subject_token_type", "saml"), "token_handler", "Nope");
        assertOAuthError(exchange(allBad), "unsupported_grant_type", null);
        assertOAuthError(exchange(with(allBad, "grant_type", Exchanges.GRANT)), "invalid_client_id", null);
        Map<String, String> goodClient = with(with(allBad, "grant_type", Exchanges.GRANT), "client_id", "demo-client");
        assertOAuthError(exchange(goodClient), "invalid_request", "unsupported subject token type");
        assertOAuthError(exchange(with(goodClient, "subject_token_type", Exchanges.ACCESS_TOKEN)), "invalid_request",
                "token handler not found");
    }

    @Test
    void repeatedParameterIsInvalidRequest() {
        Http.Response response = Http.send(HttpRequest.newBuilder(URI.create(sf.tokenEndpoint()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(Http.form(form(aliceToken())) + "&client_id=other")));
        assertOAuthError(response, "invalid_request", null);
    }

    @Test
    void jsonBodyIsInvalidRequest() {
        Http.Response response = Http.send(HttpRequest.newBuilder(URI.create(sf.tokenEndpoint()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"grant_type\":\"" + Exchanges.GRANT + "\"}")));
        assertOAuthError(response, "invalid_request", null);
    }

    @Test
    void getIsRefusedAndNotCounted() {
        Http.Response response = Http.get(sf.tokenEndpoint(), null);
        assertOAuthError(response, "invalid_request", "must use HTTP POST");
        assertThat(sf.counters().tokenRequests()).isZero();
    }

    @Test
    void everyPostIsCountedWhateverTheOutcome() {
        exchange(form(aliceToken()));
        exchange(with(form(aliceToken()), "client_id", "nobody"));
        exchange(with(form(aliceToken()), "grant_type", "x"));
        assertThat(sf.counters().tokenRequests()).isEqualTo(3);
        assertThat(sf.counters().totalExchanges()).isEqualTo(1);
        assertThat(sf.counters().lastTokenForm()).containsEntry("grant_type", "x")
                .containsEntry("client_id", "demo-client");
    }
}
