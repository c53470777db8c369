package io.sfgateway.tokenexchange.config;

import io.sfgateway.tokenexchange.subject.JwksLocation;
import io.sfgateway.tokenexchange.subject.JwksSchedule;
import io.sfgateway.tokenexchange.subject.JwksSource;
import io.sfgateway.tokenexchange.subject.JwtRules;
import io.sfgateway.tokenexchange.subject.JwtSubjectResolver;
import io.sfgateway.tokenexchange.subject.OpaqueTokenShape;
import io.sfgateway.tokenexchange.subject.SubjectResolver;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.scheduler.Scheduler;

/**
 * The library's {@link SubjectResolvers}: with {@code subject.validate} (the default) a
 * {@link JwtSubjectResolver} that fetches the IdP's keys at once, otherwise an opaque resolver
 * that checks the token's shape and leaves judgement to Salesforce.
 */
public final class DefaultSubjectResolvers implements SubjectResolvers {

    private static final Logger log = LoggerFactory.getLogger(DefaultSubjectResolvers.class);
    /** One request for the issuer's OIDC metadata; the key fetch as a whole has its own limit. */
    private static final Duration DISCOVERY_ATTEMPT_TIMEOUT = Duration.ofSeconds(5);

    private final WebClient webClient;
    private final Scheduler timer;
    private final Clock clock;

    /**
     * @param webClient fetches the IdP's keys
     * @param timer where JWKS back-off and fetch timeouts fire
     * @param clock judges {@code exp} and {@code nbf}
     */
    public DefaultSubjectResolvers(WebClient webClient, Scheduler timer, Clock clock) {
        this.webClient = webClient;
        this.timer = timer;
        this.clock = clock;
    }

    @Override
    @SuppressWarnings("deprecation")
    public SubjectResolver forRegistration(String name, RegistrationProperties registration) {
        SubjectProperties subject = registration.getSubject();
        String key = "salesforce.token-exchange.registrations." + name + ".subject.";
        if (!subject.isValidate()) {
            log.warn("Registration '{}' does not validate callers' tokens ({}validate: false): every new token costs a "
                    + "token exchange, and Salesforce's handler alone judges it. New tokens are rate-limited ({}opaque-admission) "
                    + "and sessions are used at most {} before the token is judged again. Validate JWTs where the IdP issues them.",
                    name, key, key, subject.getOpaqueTokenLifetime());
            return SubjectResolver.opaque(new OpaqueTokenShape(subject.getOpaqueAdmission().getMinLength(),
                    SubjectChecks.opaqueTokenPattern(key, subject.getOpaqueAdmission())));
        }
        if (!"sub".equals(subject.getSubjectClaim())) {
            log.info("Registration '{}' names users by claim '{}': sessions are keyed by issuer, sub and that claim",
                    name, subject.getSubjectClaim());
        }
        JwksLocation keys;
        if (subject.getJwksUri() != null) {
            keys = JwksLocation.fixed(subject.getJwksUri());
            if (subject.getIssuerUri() != null) {
                log.info("Registration '{}' takes its signing keys from {}jwks-uri; {}issuer-uri only names the issuer "
                        + "(no OIDC discovery)", name, key, key);
            }
        } else {
            keys = JwksLocation.discovered(webClient, subject.getIssuerUri().toString(), DISCOVERY_ATTEMPT_TIMEOUT,
                    timer);
        }
        JwksSchedule schedule = JwksSchedule.of(subject.getJwks().getMinRefresh(), subject.getJwks().getMaxBackoff());
        JwtRules rules = new JwtRules(subject.requiredIssuer(), subject.getAudiences(), subject.getSubjectClaim(),
                subject.getClockSkew());
        JwtSubjectResolver resolver = new JwtSubjectResolver(new JwksSource(webClient, keys, schedule, clock, timer), rules, clock);
        resolver.prefetchKeys();
        return resolver;
    }
}
