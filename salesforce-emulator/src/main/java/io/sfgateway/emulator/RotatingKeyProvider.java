package io.sfgateway.emulator;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.proc.SecurityContext;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import no.nav.security.mock.oauth2.token.KeyProvider;

/**
 * A mock-oauth2-server key provider with exactly one RSA key at a time.
 *
 * <p>mock-oauth2-server signs with {@code signingKey(issuerId)} and publishes {@code JWKSet(signingKey(issuerId))}
 * at {@code /<issuerId>/jwks}; its own provider keeps one key per issuer forever. Overriding both methods to
 * return the current key makes rotation a swap: tokens minted afterwards carry the new {@code kid}, and the JWKS
 * lists only the new key, so tokens signed with the old key no longer verify.
 */
final class RotatingKeyProvider extends KeyProvider {

    private final AtomicReference<RSAKey> current = new AtomicReference<>();

    RotatingKeyProvider() {
        super(List.of(), JWSAlgorithm.RS256.getName());
        rotate();
    }

    /** Generates a new key and makes it the only one. Generating reads the OS entropy source: call off event loops. */
    RSAKey rotate() {
        RSAKey key = generate();
        current.set(key);
        return key;
    }

    RSAKey current() {
        return current.get();
    }

    /** The public half of the current key, as the JWKS endpoint publishes it. */
    JWKSet publicJwkSet() {
        return new JWKSet(current.get().toPublicJWK());
    }

    @Override
    public JWK signingKey(String issuerId) {
        return current.get();
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) {
        return selector.select(new JWKSet(current.get()));
    }

    private static RSAKey generate() {
        try {
            RSAKey key = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).generate();
            // The RFC 7638 thumbprint as kid: unique per key, so a restarted emulator never reuses a kid.
            return new RSAKey.Builder(key).keyID(key.computeThumbprint().toString()).build();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an RSA key", e);
        }
    }
}
