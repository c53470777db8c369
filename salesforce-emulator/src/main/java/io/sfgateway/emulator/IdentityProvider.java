package io.sfgateway.emulator;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.http.MockWebServerWrapper;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The emulated identity provider: NAV's mock-oauth2-server (OIDC discovery, JWKS, its own token endpoint) on its
 * OkHttp MockWebServer, on a loopback port, with one rotatable RSA signing key.
 *
 * <p>Rotating generates an RSA key, which reads the OS entropy source: call it from a test thread or a
 * {@code boundedElastic} worker, not from an event loop. Minting draws its JWT ids from a pre-seeded DRBG, but it
 * is RSA signing: keep it off event loops too where you can (the admin endpoint does).
 */
public final class IdentityProvider {

    /** The issuer id: the path segment under which mock-oauth2-server serves this issuer. */
    public static final String ISSUER_ID = "idp";

    private static final Logger log = LoggerFactory.getLogger(IdentityProvider.class);

    private final RotatingKeyProvider keys;
    private final OAuth2TokenProvider tokenProvider;
    private final MockOAuth2Server server;
    private final String issuer;
    private final RandomTokens random = new RandomTokens();

    private IdentityProvider(RotatingKeyProvider keys, OAuth2TokenProvider tokenProvider, MockOAuth2Server server,
            String issuer) {
        this.keys = keys;
        this.tokenProvider = tokenProvider;
        this.server = server;
        this.issuer = issuer;
    }

    /** Starts an IdP on 127.0.0.1 at that port (0 = a free one). */
    static IdentityProvider start(int port) {
        RotatingKeyProvider keys = new RotatingKeyProvider();
        OAuth2TokenProvider tokenProvider = new OAuth2TokenProvider(keys);
        OAuth2Config config = new OAuth2Config(false, null, null, false, tokenProvider, Set.of(),
                new MockWebServerWrapper());
        MockOAuth2Server server = new MockOAuth2Server(config);
        try {
            server.start(InetAddress.getByName("127.0.0.1"), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        // mock-oauth2-server derives the issuer from the request's Host, so clients that use this URL see it back.
        String issuer = "http://127.0.0.1:" + server.baseUrl().port() + "/" + ISSUER_ID;
        log.info("IdP started: issuer={} kid={}", issuer, keys.current().getKeyID());
        return new IdentityProvider(keys, tokenProvider, server, issuer);
    }

    /** The issuer URL, exactly as it appears in {@code iss}. */
    public String issuer() {
        return issuer;
    }

    public String jwksUri() {
        return issuer + "/jwks";
    }

    public String discoveryUri() {
        return issuer + "/.well-known/openid-configuration";
    }

    /** An RS256 JWT for that subject and audience, expiring in 1 h. */
    public String mintToken(String subject, String audience) {
        return mintToken(subject, audience, Duration.ofHours(1), Map.of());
    }

    /**
     * An RS256 JWT signed with the current key ({@code kid} set). {@code iss}, {@code sub}, {@code aud},
     * {@code jti}, {@code iat}, {@code nbf} and {@code exp} are set; {@code extraClaims} are added last and may
     * override any of them (tests use this to craft hostile tokens). A negative {@code ttl} gives an expired token.
     */
    public String mintToken(String subject, String audience, Duration ttl, Map<String, Object> extraClaims) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(ttl, "ttl");
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("sub", subject);
        if (audience != null) {
            claims.put("aud", List.of(audience));
        }
        claims.put("jti", random.urlSafe(16));
        claims.putAll(extraClaims);
        return tokenProvider.jwt(claims, ttl, ISSUER_ID).serialize();
    }

    /** The current private and public key (tests sign hostile tokens with it). */
    public RSAKey signingKey() {
        return keys.current();
    }

    /** The current key's id. */
    public String keyId() {
        return keys.current().getKeyID();
    }

    /** The keys the JWKS endpoint publishes right now (public halves). */
    public JWKSet publicKeys() {
        return keys.publicJwkSet();
    }

    /** Replaces the signing key: the JWKS then lists only the new key, and later mints use it. */
    public void rotateKey() {
        RSAKey key = keys.rotate();
        log.info("IdP signing key rotated: kid={}", key.getKeyID());
    }

    void stop() {
        try {
            server.shutdown();
        } catch (RuntimeException e) {
            log.debug("IdP shutdown: {}", e.toString());
        }
    }
}
