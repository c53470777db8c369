package io.sfgateway.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The IdP as a client (or the gateway) sees it: discovery, JWKS, minted tokens, rotation. */
class IdentityProviderTest extends EmulatorTestBase {

    private JWKSet fetchJwks() throws Exception {
        Http.Response response = Http.get(sf.idp().jwksUri(), null);
        assertThat(response.status()).isEqualTo(200);
        return JWKSet.parse(response.body());
    }

    @Test
    void discoveryMatchesIssuerAndJwksUri() {
        Http.Response response = Http.get(sf.idp().discoveryUri(), null);
        assertThat(response.status()).isEqualTo(200);
        JsonNode discovery = response.json();
        assertThat(sf.idp().issuer()).startsWith("http://127.0.0.1:").endsWith("/idp");
        assertThat(discovery.get("issuer").asString()).isEqualTo(sf.idp().issuer());
        assertThat(discovery.get("jwks_uri").asString()).isEqualTo(sf.idp().jwksUri());
    }

    @Test
    void jwksPublishesThePublicHalfOfTheCurrentKey() throws Exception {
        JWKSet jwks = fetchJwks();
        assertThat(jwks.getKeys()).hasSize(1);
        assertThat(jwks.getKeys().get(0).getKeyID()).isEqualTo(sf.idp().keyId());
        assertThat(jwks.getKeys().get(0).isPrivate()).isFalse();
        assertThat(sf.idp().signingKey().isPrivate()).isTrue();
    }

    @Test
    void mintedTokenHasTheExpectedShape() throws Exception {
        SignedJWT jwt = SignedJWT.parse(sf.idp().mintToken("alice", "salesforce-gateway"));
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(sf.idp().keyId());
        assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo(sf.idp().issuer());
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("alice");
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("salesforce-gateway");
        assertThat(jwt.getJWTClaimsSet().getJWTID()).isNotBlank();
        long ttl = jwt.getJWTClaimsSet().getExpirationTime().getTime() - jwt.getJWTClaimsSet().getIssueTime()
                .getTime();
        assertThat(ttl).isEqualTo(Duration.ofHours(1).toMillis());
        assertThat(jwt.verify(new com.nimbusds.jose.crypto.RSASSAVerifier(fetchJwks().getKeys().get(0).toRSAKey())))
                .isTrue();
    }

    @Test
    void extraClaimsAreAddedAndMayOverride() throws Exception {
        SignedJWT jwt = SignedJWT.parse(sf.idp().mintToken("alice", "salesforce-gateway", Duration.ofMinutes(1),
                Map.of("email", "alice@example.com", "sub", "override")));
        assertThat(jwt.getJWTClaimsSet().getStringClaim("email")).isEqualTo("alice@example.com");
        assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("override");
    }

    @Test
    void rotationPublishesOnlyTheNewKey() throws Exception {
        String oldKid = sf.idp().keyId();
        String oldToken = sf.idp().mintToken("alice", "salesforce-gateway");
        sf.idp().rotateKey();
        JWKSet jwks = fetchJwks();
        assertThat(jwks.getKeys()).hasSize(1);
        assertThat(jwks.getKeys().get(0).getKeyID()).isEqualTo(sf.idp().keyId()).isNotEqualTo(oldKid);
        assertThat(jwks.getKeyByKeyId(SignedJWT.parse(oldToken).getHeader().getKeyID())).isNull();
        assertThat(SignedJWT.parse(sf.idp().mintToken("alice", "salesforce-gateway")).getHeader().getKeyID())
                .isEqualTo(sf.idp().keyId());
    }
}
