package io.sfgateway.tokenexchange.subject;

import static io.sfgateway.tokenexchange.subject.JwtSubjectResolverTest.ISSUER;
import static io.sfgateway.tokenexchange.subject.JwtSubjectResolverTest.LONG;
import static io.sfgateway.tokenexchange.subject.JwtSubjectResolverTest.assertInvalid;
import static io.sfgateway.tokenexchange.subject.JwtSubjectResolverTest.assertSubject;
import static io.sfgateway.tokenexchange.subject.JwtSubjectResolverTest.claims;
import static io.sfgateway.tokenexchange.subject.JwtSubjectResolverTest.resolve;
import static io.sfgateway.tokenexchange.subject.JwtSubjectResolverTest.resolver;
import static io.sfgateway.tokenexchange.subject.JwtSubjectResolverTest.sign;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link JwtSubjectResolver} builds one verifier per IdP key and reuses it: a key's verifier keeps
 * serving every algorithm of its family, and never accepts what its key did not sign.
 */
class JwtVerifierReuseTest {

    @BeforeAll
    static void start() throws Exception {
        JwtSubjectResolverTest.start();
    }

    @AfterAll
    static void stop() {
        JwtSubjectResolverTest.stop();
    }

    @BeforeEach
    void reset() {
        new JwtSubjectResolverTest().reset();
    }

    @Test
    void oneResolverVerifiesManyTokensOfEveryKeyAndAlgorithmAndStillRefusesForgeries() throws Exception {
        JwtSubjectResolver resolver = resolver(LONG);
        String subject = "jwt:" + ISSUER + " alice";
        for (int i = 0; i < 3; i++) {
            String rs256 = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(),
                    claims().jwtID("rs" + i).build(), new RSASSASigner(JwtSubjectResolverTest.rsa));
            assertSubject(resolve(resolver, rs256), subject, rs256);
            String ps512 = sign(new JWSHeader.Builder(JWSAlgorithm.PS512).keyID("rsa-1").build(),
                    claims().jwtID("ps" + i).build(), new RSASSASigner(JwtSubjectResolverTest.rsa));
            assertSubject(resolve(resolver, ps512), subject, ps512);
            String es256 = sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec-1").build(),
                    claims().jwtID("es" + i).build(), new ECDSASigner(JwtSubjectResolverTest.ec));
            assertSubject(resolve(resolver, es256), subject, es256);

            String forged = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("rsa-1").build(),
                    claims().jwtID("forged" + i).build(), new RSASSASigner(JwtSubjectResolverTest.attackerRsa));
            assertInvalid(resolver, forged);
            String rsaUnderTheEcKid = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("ec-1").build(),
                    claims().jwtID("kid" + i).build(), new RSASSASigner(JwtSubjectResolverTest.rsa));
            assertInvalid(resolver, rsaUnderTheEcKid);
        }
    }
}
