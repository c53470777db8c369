package io.sfgateway.tokenexchange.subject;

import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.HashSet;
import java.util.List;

/**
 * Nimbus's claims verifier for one registration: exact {@code iss}, an accepted {@code aud},
 * {@code exp}, {@code sub} and the subject claim required, and {@code exp}/{@code nbf} judged
 * with clock skew by the injected clock rather than the system's.
 */
final class ClaimsVerifier extends DefaultJWTClaimsVerifier<SecurityContext> {

    private final Clock clock;

    ClaimsVerifier(String issuer, List<String> audiences, String subjectClaim, Duration clockSkew, Clock clock) {
        super(new HashSet<>(audiences), new JWTClaimsSet.Builder().issuer(issuer).build(),
                new HashSet<>(List.of("exp", "sub", subjectClaim)), null);
        setMaxClockSkew((int) Math.min(Integer.MAX_VALUE, clockSkew.toSeconds()));
        this.clock = clock;
    }

    @Override
    protected Date currentTime() {
        return Date.from(clock.instant());
    }
}
