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
    public SubjectResolver forRegistration(String name, TokenExchangeProperties.Registration registration) {
        SubjectProperties subject = registration.subject();
        String key = "salesforce.token-exchange.registrations." + name + ".subject.";
        if (!subject.validate()) {
            log.warn("Registration '{}' does not validate callers' tokens ({}validate: false): every new token costs a "
                    + "token exchange, and Salesforce's handler alone judges it. New tokens are rate-limited ({}opaque-admission) "
                    + "and sessions are used at most {} before the token is judged again. Validate JWTs where the IdP issues them.",
                    name, key, key, subject.opaqueTokenLifetime());
            return SubjectResolver.opaque(new OpaqueTokenShape(subject.opaqueAdmission().minLength(),
                    SubjectChecks.opaqueTokenPattern(key, subject.opaqueAdmission())));
        }
        if (subject.jwksRefetchInterval() != null) {
            log.warn("{}jwks-refetch-interval is deprecated; set {}jwks.min-refresh instead{}", key, key,
                    subject.jwks().minRefresh() != null ? " (it is set, and wins)" : "");
        }
        if (!"sub".equals(subject.subjectClaim())) {
            log.info("Registration '{}' names users by claim '{}': sessions are keyed by issuer, sub and that claim",
                    name, subject.subjectClaim());
        }
        JwksLocation keys;
        if (subject.jwksUri() != null) {
            keys = JwksLocation.fixed(subject.jwksUri());
            if (subject.issuerUri() != null) {
                log.info("Registration '{}' takes its signing keys from {}jwks-uri; {}issuer-uri only names the issuer "
                        + "(no OIDC discovery)", name, key, key);
            }
        } else {
            keys = JwksLocation.discovered(webClient, subject.issuerUri().toString(), DISCOVERY_ATTEMPT_TIMEOUT, timer);
        }
        JwksSchedule schedule = JwksSchedule.of(SubjectChecks.jwksMinRefresh(subject), subject.jwks().maxBackoff());
        JwtRules rules = new JwtRules(subject.requiredIssuer(), subject.audiences(), subject.subjectClaim(), subject.clockSkew());
        JwtSubjectResolver resolver = new JwtSubjectResolver(new JwksSource(webClient, keys, schedule, clock, timer), rules, clock);
        resolver.prefetchKeys();
        return resolver;
    }
}
