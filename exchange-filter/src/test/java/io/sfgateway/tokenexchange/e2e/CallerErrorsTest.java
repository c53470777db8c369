package io.sfgateway.tokenexchange.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.sfgateway.emulator.TokenFault;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Contract §4, the caller's rows: every refusal is a 401 with the right challenge, and Salesforce is not called. */
class CallerErrorsTest extends GatewayTestSupport {

    private static final String PATH = "/services/data/v62.0/limits";
    private static final String INVALID_TOKEN_BODY =
            "{\"error\":\"invalid_token\",\"error_description\":\"The bearer token is invalid, expired or not accepted.\"}";

    @Test
    void noBearerTokenIsAPlainChallenge() {
        assertRefusedWithoutCallingSalesforce(() -> client.get().uri(PATH).exchange(), "Bearer");
        assertRefusedWithoutCallingSalesforce(
                () -> client.get().uri(PATH).header("Authorization", "Basic dXNlcjpwYXNz").exchange(), "Bearer");
        assertRefusedWithoutCallingSalesforce(
                () -> client.get().uri(PATH).header("Authorization", "Bearer ").exchange(), "Bearer");
    }

    @Test
    void twoAuthorizationHeadersAreRefused() {
        String token = mint(uniqueSubject("twice"));
        assertRefusedWithoutCallingSalesforce(() -> client.get().uri(PATH)
                .header("Authorization", "Bearer " + token, "Bearer " + token).exchange(), "Bearer");
    }

    @Test
    void aTokenOverTenThousandCharactersIsInvalid() {
        assertInvalidToken("a".repeat(10_001));
    }

    @Test
    void locallyInvalidTokensNeverReachSalesforce() throws Exception {
        RSAKey idpKey = ORG.idp().signingKey();
        RSAKey attackerKey = new RSAKeyGenerator(2048).keyID(idpKey.getKeyID()).generate();
        String sub = uniqueSubject("mallory");

        assertInvalidToken(new PlainJWT(claims(sub).build()).serialize()); // alg none
        assertInvalidToken(sign(attackerKey, claims(sub).build())); // bad signature, IdP's kid
        assertInvalidToken(sign(idpKey, claims(sub).issuer("https://evil.example.com").build()));
        assertInvalidToken(sign(idpKey, claims(sub).audience("someone-else").build()));
        assertInvalidToken(sign(idpKey, claims(sub).expirationTime(Date.from(Instant.now().minusSeconds(120))).build()));
        assertInvalidToken(sign(idpKey, claims(sub).notBeforeTime(Date.from(Instant.now().plusSeconds(600))).build()));
        assertInvalidToken(sign(idpKey, claims(null).build())); // no subject claim
        assertInvalidToken("not.a.jwt");
        assertInvalidToken(hs256WithPublicKey(idpKey, claims(sub).build())); // algorithm confusion
    }

    @Test
    void salesforceRefusingTheSubjectIsA401AndIsRememberedBriefly() {
        String token = remember(OPAQUE_PREFIX + uniqueSubject("refused"));
        ORG.controls().tokenFault(TokenFault.INVALID_GRANT);
        long before = ORG.counters().tokenRequests();
        client.get().uri("/opaque" + PATH).header("Authorization", "Bearer " + token).exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals("WWW-Authenticate", "Bearer error=\"invalid_token\"")
                .expectBody(String.class).isEqualTo(INVALID_TOKEN_BODY);
        assertThat(ORG.counters().tokenRequests()).isEqualTo(before + 1);

        ORG.controls().tokenFault(TokenFault.NONE);
        client.get().uri("/opaque" + PATH).header("Authorization", "Bearer " + token).exchange()
                .expectStatus().isUnauthorized();
        assertThat(ORG.counters().tokenRequests()).as("a refused token is not sent again at once").isEqualTo(before + 1);
    }

    private void assertInvalidToken(String token) {
        remember(token);
        assertRefusedWithoutCallingSalesforce(
                () -> client.get().uri(PATH).header("Authorization", "Bearer " + token).exchange(),
                "Bearer error=\"invalid_token\"");
    }

    private void assertRefusedWithoutCallingSalesforce(java.util.function.Supplier<WebTestClient.ResponseSpec> call,
            String challenge) {
        long tokenRequests = ORG.counters().tokenRequests();
        long restCalls = ORG.counters().restCalls();
        call.get().expectStatus().isUnauthorized()
                .expectHeader().valueEquals("WWW-Authenticate", challenge)
                .expectHeader().contentType("application/json")
                .expectBody(String.class).value(body -> assertThat(body).startsWith("{\"error\":\"").hasSizeLessThan(200));
        assertThat(ORG.counters().tokenRequests()).isEqualTo(tokenRequests);
        assertThat(ORG.counters().restCalls()).isEqualTo(restCalls);
    }

    private static JWTClaimsSet.Builder claims(String subject) {
        return new JWTClaimsSet.Builder()
                .issuer(ORG.idp().issuer())
                .audience(AUDIENCE)
                .subject(subject)
                .issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(10))));
    }

    private static String sign(RSAKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static String hs256WithPublicKey(RSAKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new MACSigner(key.toRSAPublicKey().getEncoded()));
        return jwt.serialize();
    }
}
