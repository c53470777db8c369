package io.sfgateway.tokenexchange.subject;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;

/**
 * A signature verifier per IdP key, built once rather than per token: turning a JWK into a public
 * key costs a large part of an RSA check. Keys are held weakly (by identity), so a refetched key
 * set's old keys and their verifiers go with it.
 */
final class KeyVerifiers {

    private final DefaultJWSVerifierFactory factory = new DefaultJWSVerifierFactory();
    private final Cache<JWK, JWSVerifier> verifiers = Caffeine.newBuilder().weakKeys().maximumSize(256).build();

    /**
     * The verifier for {@code key}. The key matcher chose a key of the header algorithm's family,
     * so the verifier serves every algorithm the key can.
     */
    <K extends JWK & AsymmetricJWK> JWSVerifier forKey(JWSHeader header, K key) throws JOSEException {
        JWSVerifier verifier = verifiers.getIfPresent(key);
        if (verifier == null) {
            verifier = factory.createJWSVerifier(header, key.toPublicKey());
            verifiers.put(key, verifier);
        }
        return verifier;
    }
}
