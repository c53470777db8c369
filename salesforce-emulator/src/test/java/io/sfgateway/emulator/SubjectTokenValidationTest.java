package io.sfgateway.emulator;

import static io.sfgateway.emulator.Exchanges.form;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the emulated token handler accepts: IdP JWTs (verified like an Apex handler would) and opaque tokens. */
class SubjectTokenValidationTest extends EmulatorTestBase {

    private Http.Response exchangeToken(String subjectToken) {
        return exchange(form(subjectToken));
    }

    /** A real org answers a handler's refusal with invalid_request "token handler validation failed". */
    private void assertInvalidGrant(String subjectToken) {
        Http.Response response = exchangeToken(subjectToken);
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().get("error").asString()).isEqualTo("invalid_request");
        assertThat(response.json().get("error_description").asString()).isEqualTo("token handler validation failed");
        assertThat(sf.counters().totalExchanges()).isZero();
    }

    @Test
    void goodTokenIsExchangedForItsSubject() {
        assertThat(exchangeToken(sf.idp().mintToken("bob", "salesforce-gateway")).json().get("id").asString())
                .endsWith("/005000000000002AAA");
        assertThat(sf.counters().exchanges("bob")).isEqualTo(1);
    }

    @Test
    void wrongAudienceIsRefused() {
        assertInvalidGrant(sf.idp().mintToken("alice", "someone-else"));
    }

    @Test
    void audienceListContainingOursIsAccepted() {
        String token = sf.idp().mintToken("alice", "other", Duration.ofMinutes(5),
                Map.of("aud", List.of("other", "salesforce-gateway")));
        assertThat(exchangeToken(token).status()).isEqualTo(200);
    }

    @Test
    void expiredTokenIsRefused() {
        assertInvalidGrant(sf.idp().mintToken("alice", "salesforce-gateway", Duration.ofSeconds(-60), Map.of()));
    }

    @Test
    void tokenNotYetValidIsRefused() {
        JWTClaimsSet claims = Tokens.claims(sf, "alice").notBeforeTime(Date.from(Instant.now().plusSeconds(300)))
                .build();
        assertInvalidGrant(Tokens.rs256(sf.idp().signingKey(), sf.idp().keyId(), claims));
    }

    @Test
    void wrongIssuerIsRefused() {
        assertInvalidGrant(sf.idp().mintToken("alice", "salesforce-gateway", Duration.ofMinutes(5),
                Map.of("iss", "https://evil.example.com/idp")));
    }

    @Test
    void tokenWithoutSubjectIsRefused() {
        JWTClaimsSet claims = Tokens.claims(sf, "alice").subject(null).build();
        assertInvalidGrant(Tokens.rs256(sf.idp().signingKey(), sf.idp().keyId(), claims));
    }

    @Test
    void craftedTokenSignedWithTheIdpKeyIsAccepted() {
        // The control for the hostile tokens below: the same crafting with the real key passes.
        String token = Tokens.rs256(sf.idp().signingKey(), sf.idp().keyId(), Tokens.claims(sf, "alice").build());
        assertThat(exchangeToken(token).status()).isEqualTo(200);
    }

    @Test
    void tokenSignedWithAnotherKeyUnderTheIdpKidIsRefused() {
        assertInvalidGrant(Tokens.rs256(Tokens.freshKey(), sf.idp().keyId(), Tokens.claims(sf, "alice").build()));
    }

    @Test
    void tamperedPayloadIsRefused() {
        String[] parts = aliceToken().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1])).replace("\"alice\"", "\"bob\"");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes())
                + "." + parts[2];
        assertInvalidGrant(tampered);
    }

    @Test
    void unsignedTokenIsRefused() {
        assertInvalidGrant(Tokens.unsigned(Tokens.claims(sf, "alice").build()));
    }

    @Test
    void symmetricTokenKeyedWithThePublicKeyIsRefused() throws Exception {
        byte[] publicKeyBytes = sf.idp().signingKey().toRSAPublicKey().getEncoded();
        assertInvalidGrant(Tokens.hs256(publicKeyBytes, sf.idp().keyId(), Tokens.claims(sf, "alice").build()));
    }

    @Test
    void afterRotationOldTokensAreRefusedAndNewOnesAccepted() {
        String before = aliceToken();
        String oldKid = sf.idp().keyId();
        sf.idp().rotateKey();
        assertThat(sf.idp().keyId()).isNotEqualTo(oldKid);
        assertInvalidGrant(before);
        assertThat(exchangeToken(aliceToken()).status()).isEqualTo(200);
    }

    @Test
    void opaqueTokenFollowsTheDefaultRule() {
        assertThat(exchangeToken("opaque:alice").status()).isEqualTo(200);
        assertThat(sf.counters().exchanges("alice")).isEqualTo(1);
    }

    @Test
    void opaqueTokenOutsideTheRuleIsRefused() {
        assertInvalidGrant("opaque:");
        assertInvalidGrant("some-random-reference-token");
        assertInvalidGrant("a.b.c");
    }

    @Test
    void unknownUserIsAHandlerRefusal() {
        // A handler that maps no user: Salesforce reports it like any other refusal by the handler.
        Http.Response response = exchangeToken(sf.idp().mintToken("mallory", "salesforce-gateway"));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("error").asString()).isEqualTo("invalid_request");
        assertThat(response.json().get("error_description").asString()).isEqualTo("token handler validation failed");
        assertThat(sf.counters().exchanges("mallory")).isZero();
    }
}
