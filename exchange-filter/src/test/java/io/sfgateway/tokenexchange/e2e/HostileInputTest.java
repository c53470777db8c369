package io.sfgateway.tokenexchange.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Hostile input through the running gateway: each case is answered as the README's caller table says, and no
 * hostile token reaches Salesforce. Unit tests (BearerTokensTest, JwtSubjectResolverTest,
 * TokenExchangerTest) cover the same cases, and more, below the HTTP layer.
 */
class HostileInputTest extends GatewayTestSupport {

    private static final String PATH = "/services/data/v62.0/limits";
    private static final String INVALID = "Bearer error=\"invalid_token\"";

    // ---- caller tokens -------------------------------------------------------------------

    @Test
    void keyUrlsNamedInsideATokenAreNeverFetchedNorTrusted() throws Exception {
        RSAKey attacker = new RSAKeyGenerator(2048).keyID("attacker").generate();
        STUB.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlEqualTo("/attacker/jwks")).willReturn(okJson(new JWKSet(attacker.toPublicJWK()).toString())));
        URI attackerJwks = URI.create(STUB.baseUrl() + "/attacker/jwks");
        JWTClaimsSet claims = claims(uniqueSubject("mallory")).build();

        assertInvalid(sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("attacker").jwkURL(attackerJwks).build(), claims, attacker));
        assertInvalid(sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("attacker").x509CertURL(attackerJwks).build(), claims, attacker));
        assertInvalid(sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("attacker").jwk(attacker.toPublicJWK()).build(), claims, attacker));
        // the IdP's own kid, with the attacker's key embedded: still the IdP's JWKS decides
        assertInvalid(sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(ORG.idp().keyId()).jwk(attacker.toPublicJWK())
                .jwkURL(attackerJwks).build(), claims, attacker));
        assertThat(STUB.findAll(getRequestedFor(urlEqualTo("/attacker/jwks")))).as("never fetched").isEmpty();
    }

    @Test
    void structurallyHostileTokensAreInvalid() throws Exception {
        RSAKey idp = ORG.idp().signingKey();
        String sub = uniqueSubject("structural");
        JWTClaimsSet claims = claims(sub).build();

        assertInvalid(sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(idp.getKeyID())
                .criticalParams(Set.of("exp")).customParam("exp", 1).build(), claims, idp)); // crit
        EncryptedJWT jwe = new EncryptedJWT(new JWEHeader(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM), claims);
        jwe.encrypt(new RSAEncrypter(idp.toRSAPublicKey()));
        assertInvalid(jwe.serialize()); // a JWE where a JWS is expected
        String inner = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(idp.getKeyID()).build(), claims, idp);
        JWSObject nested = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(idp.getKeyID())
                .contentType("JWT").build(), new Payload(inner));
        nested.sign(new RSASSASigner(idp));
        assertInvalid(nested.serialize()); // nested JWT
        assertInvalid(signPayload(idp, "[\"an\",\"array\"]")); // payload is a JSON array
        assertInvalid(signPayload(idp, "{\"iss\":\"" + ORG.idp().issuer() + "\",\"aud\":\"" + AUDIENCE + "\",\"sub\":\""
                + sub + "\",\"exp\":\"" + (Instant.now().getEpochSecond() + 600) + "\"}")); // exp as a string
        assertInvalid("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ!!!.c2ln"); // not Base64URL (refused as a b64token)
        assertInvalid("eyJhbGciOiJSUzI1NiJ9.e30$.c2ln");
        assertInvalid(Base64URL.encode("{\"alg\":\"RS256\"").toString() + ".e30.c2ln"); // truncated header JSON
        String huge = "x".repeat(9_500);
        assertInvalid(sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(idp.getKeyID()).build(),
                claims(sub).claim("padding", huge).build(), idp)); // over 10,000 characters once encoded
    }

    @ParameterizedTest
    @ValueSource(strings = {"no-such-key", "../../../etc/passwd", "..%2F..%2Fjwks", "1' OR '1'='1", "k\"; DROP TABLE keys;--",
            "https://evil.example.com/jwks"})
    void unknownKidsAndKidsWithPathOrSqlCharactersAreInvalid(String kid) throws Exception {
        RSAKey idp = ORG.idp().signingKey();
        long idpRequests = ORG.counters().tokenRequests();
        assertInvalid(sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(),
                claims(uniqueSubject("kid")).build(), idp)); // the IdP's own key, under a kid its JWKS lacks
        assertThat(ORG.counters().tokenRequests()).isEqualTo(idpRequests);
        assertThat(STUB.findAll(anyRequestedFor(anyUrl()))).as("nothing fetched from anywhere else").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\r", "\n", "\r\n", "\r\nX-Injected: 1"})
    void carriageReturnsAndLineFeedsInsideTheHeaderNeverReachTheFilter(String breaker) throws Exception {
        // Sent on a raw socket: HTTP clients refuse to put CR or LF in a header value. The server's HTTP decoder
        // answers it or the gateway refuses it; either way, no exchange and no REST call.
        String token = mint(uniqueSubject("crlf"));
        int cut = token.indexOf('.') + 1;
        long tokenRequests = ORG.counters().tokenRequests();
        long restCalls = ORG.counters().restCalls();
        String request = "GET " + PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token.substring(0, cut)
                + breaker + token.substring(cut) + "\r\nConnection: close\r\n\r\n";
        String statusLine;
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.ISO_8859_1)).readLine();
        }
        assertThat(statusLine).as("refused").matches("HTTP/1\\.1 (400|401) .*");
        assertThat(ORG.counters().tokenRequests()).as("no exchange").isEqualTo(tokenRequests);
        assertThat(ORG.counters().restCalls()).as("no REST call").isEqualTo(restCalls);
    }

    @Test
    void tenThousandCharactersAreJudgedAndOneMoreIsRefusedOutright() {
        assertInvalid("a".repeat(10_000)); // judged by validation (not a JWT)
        assertInvalid("a".repeat(10_001)); // refused by length alone
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer", "Bearer ", "Bearer      ", "Token abc", "bearer"})
    void emptyOrForeignCredentialsGetAPlainChallenge(String authorization) {
        assertRefused(client.get().uri(PATH).header("Authorization", authorization), "Bearer");
    }

    @Test
    void whitespaceInsideTheTokenIsInvalid() {
        String token = mint(uniqueSubject("tabbed"));
        assertRefused(client.get().uri(PATH).header("Authorization", "Bearer " + token.replaceFirst("\\.", ".\t")), INVALID);
        assertRefused(client.get().uri(PATH).header("Authorization", "Bearer " + token + " trailing"), INVALID);
    }

    @Test
    void theSchemeIsCaseInsensitiveAsRfc7235Says() {
        get(PATH, mint(uniqueSubject("lowercase"))).expectStatus().isOk();
        String subject = uniqueSubject("lowercase");
        client.get().uri(PATH).header("Authorization", "bearer " + mint(subject)).exchange().expectStatus().isOk();
        assertThat(ORG.counters().exchanges(subject)).isEqualTo(1);
    }

    @Test
    void duplicatedAuthorizationAndQueryStringTokensAreRefused() {
        String token = mint(uniqueSubject("duplicated"));
        assertRefused(client.get().uri(PATH).header("Authorization", "Bearer " + token).header("Authorization", "Bearer " + token), "Bearer");
        assertRefused(client.get().uri(PATH + "?access_token=" + token), "Bearer"); // a token in the query is ignored
    }

    // ---- token endpoint answers ----------------------------------------------------------

    @Test
    void tokenEndpointAnswersTheGatewayCannotTrustAre502() {
        String ok = "\"access_token\":\"00Dxx!session\",\"id\":\"https://x/id/00D000000000001AAA/005000000000001AAA\"";
        for (String body : new String[] {
                "{\"error\":\"invalid_grant\",\"error_description\":\"200 with an error\"}",
                "{" + ok + "}", // no instance_url
                "{" + ok + ",\"instance_url\":\"https://acme.my.salesforce.com.evil.com\"}",
                "{" + ok + ",\"instance_url\":\"https://evil@acme.my.salesforce.com\"}",
                "{" + ok + ",\"instance_url\":\"https://52.1.2.3\"}",
                "{" + ok + ",\"instance_url\":\"http://acme.my.salesforce.com\"}",
                "{" + ok + ",\"instance_url\":\"https://acme.my.salesforce.com:8443\"}",
                "{" + ok + ",\"instance_url\":\"https://acme.my.salesforce.com\",\"instance_url\":\"https://evil.com\"}"}) {
            STUB.stubFor(post(anyUrl()).willReturn(okJson(body)));
            stubCall().expectStatus().isEqualTo(502);
        }
        STUB.stubFor(post(anyUrl()).willReturn(aResponse().withStatus(302).withHeader("Location", STUB.baseUrl() + "/elsewhere")));
        stubCall().expectStatus().isEqualTo(502);
        assertThat(STUB.findAll(anyRequestedFor(urlEqualTo("/elsewhere")))).as("redirect not followed").isEmpty();
        STUB.stubFor(post(anyUrl()).willReturn(okJson("{\"access_token\":\"" + "x".repeat(1024 * 1024) + "\"}")));
        stubCall().expectStatus().isEqualTo(502);
    }

    @Test
    void aBodyDrippingPastTheTimeoutIs503() {
        STUB.stubFor(post(anyUrl()).willReturn(okJson("{\"access_token\":\"00Dxx!slow\",\"instance_url\":\"https://acme.my.salesforce.com\"}")
                .withChunkedDribbleDelay(20, (int) EXCHANGE_TIMEOUT.toMillis() + 2000)));
        long start = System.nanoTime();
        stubCall().expectStatus().isEqualTo(503).expectHeader().exists("Retry-After");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(EXCHANGE_TIMEOUT.plusSeconds(1));
    }

    @Test
    void dnsAndTlsFailuresAre503() {
        String token = remember(OPAQUE_PREFIX + uniqueSubject("unreachable"));
        client.get().uri("/nodns" + PATH).header("Authorization", "Bearer " + token).exchange()
                .expectStatus().isEqualTo(503).expectHeader().exists("Retry-After");
        client.get().uri("/notls" + PATH).header("Authorization", "Bearer " + token).exchange()
                .expectStatus().isEqualTo(503).expectHeader().exists("Retry-After");
    }

    private WebTestClient.ResponseSpec stubCall() {
        return client.get().uri("/stub" + PATH).header("Authorization", "Bearer " + remember(OPAQUE_PREFIX + uniqueSubject("stub")))
                .exchange();
    }

    // ---- helpers -------------------------------------------------------------------------

    private void assertInvalid(String token) {
        remember(token);
        assertRefused(client.get().uri(PATH).header("Authorization", "Bearer " + token), INVALID);
    }

    private void assertRefused(WebTestClient.RequestHeadersSpec<?> request, String challenge) {
        long tokenRequests = ORG.counters().tokenRequests();
        long restCalls = ORG.counters().restCalls();
        request.exchange().expectStatus().isUnauthorized().expectHeader().valueEquals("WWW-Authenticate", challenge);
        assertThat(ORG.counters().tokenRequests()).as("no exchange").isEqualTo(tokenRequests);
        assertThat(ORG.counters().restCalls()).as("no REST call").isEqualTo(restCalls);
        assertThat(STUB.findAll(postRequestedFor(anyUrl()))).isEmpty();
    }

    private static JWTClaimsSet.Builder claims(String subject) {
        return new JWTClaimsSet.Builder().issuer(ORG.idp().issuer()).audience(AUDIENCE).subject(subject)
                .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(600)));
    }

    private static String sign(JWSHeader header, JWTClaimsSet claims, RSAKey key) throws Exception {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static String signPayload(RSAKey key, String json) throws Exception {
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), new Payload(json));
        jws.sign(new RSASSASigner(key));
        return jws.serialize();
    }
}
