package io.sfgateway.tokenexchange.session;

import com.github.benmanes.caffeine.cache.Ticker;
import io.sfgateway.tokenexchange.ExchangeFailure;
import io.sfgateway.tokenexchange.LogSafe;
import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.SessionSource;
import io.sfgateway.tokenexchange.Subject;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * One registration's sessions: the shared {@link SessionCache} in front of the registration's
 * guarded exchange, with refused tokens remembered briefly and every exchange observed.
 */
public final class SessionService {

    private static final Logger log = LoggerFactory.getLogger(SessionService.class);

    private final String registration;
    private final String handler;
    private final SessionLifetime lifetime;
    private final SessionCache cache;
    private final RefusalMemory refusals;
    private final SessionSource source;
    private final SessionEvents observer;
    private final NewOpaqueSubjectLimiter newSubjects;
    private final Ticker ticker;

    /**
     * @param source the registration's exchange, already guarded (breaker, bulkhead, timeout)
     * @param observer hears every exchange, timed on the cache's ticker
     */
    public SessionService(SessionPolicy policy, SessionCache cache, RefusalMemory refusals, SessionSource source,
            SessionEvents observer) {
        this.registration = policy.registration();
        this.handler = policy.handler();
        this.lifetime = policy.lifetime();
        this.newSubjects = policy.newSubjects();
        this.cache = cache;
        this.ticker = cache.ticker();
        this.refusals = refusals;
        this.source = source;
        this.observer = observer;
    }

    public String registration() {
        return registration;
    }

    /** The subject's session: cached, joined, or exchanged now. */
    public Mono<SalesforceSession> sessionFor(Subject subject) {
        return cache.get(key(subject), lifetime, () -> exchange(subject));
    }

    /**
     * The subject's session for a request from {@code client}: cached, joined, or exchanged now,
     * when a new exchange is admitted (opaque registrations limit new subjects per client). An
     * opaque token is admitted before the shared store is asked: a random string costs no Redis
     * read and no lock unless it passes; a cached session, and a request joining a load in flight,
     * are never limited.
     */
    public Mono<SalesforceSession> sessionFor(Subject subject, InetSocketAddress client) {
        if (newSubjects == null) {
            return Mono.deferContextual(caller -> cache.get(key(subject), lifetime, () -> exchange(subject), caller,
                    SessionCache.ADMITTED));
        }
        // An opaque token Salesforce refused is keyed by itself: nobody holds a session for it, so
        // its retries are answered here, before anything else.
        ExchangeFailure refused = refusals.recall(registration, subject.tokenDigest());
        if (refused != null) {
            return Mono.error(refused);
        }
        SessionKey key = key(subject);
        // A due refresh of a cached session is an exchange of its own: it asks for a permit as it always has.
        SalesforceSession cached = cache.cached(key, () -> admitted(subject, client));
        if (cached != null) {
            return Mono.just(cached);
        }
        // The request's context: an exchange started for it is part of its trace. The load was
        // admitted once, before the store: its exchange does not ask again.
        return Mono.deferContextual(caller -> cache.get(key, lifetime, () -> exchange(subject), caller,
                () -> admission(subject, client)));
    }

    /**
     * The subject's session if it is cached and ready (refreshed ahead when due), else
     * {@code null}: then {@link #sessionFor} exchanges or joins the exchange in flight.
     */
    public SalesforceSession cachedSessionFor(Subject subject) {
        return cache.cached(key(subject), () -> exchange(subject));
    }

    /** Salesforce called {@code stale} invalid: forget it so the next request exchanges again. */
    public void evict(Subject subject, SalesforceSession stale) {
        cache.evict(key(subject), stale);
    }

    /**
     * What the forwarder does when Salesforce calls the subject's session invalid: evict it (at
     * most once per subject per {@code limit} interval), then hand out the renewed session.
     */
    public SessionRenewal renewal(Subject subject, RenewalLimit limit) {
        return new SubjectRenewal(this, subject, limit);
    }

    private SessionKey key(Subject subject) {
        return new SessionKey(registration, subject.key());
    }

    /** An exchange that asks for a permit first (a due refresh of an opaque session). */
    private Mono<SalesforceSession> admitted(Subject subject, InetSocketAddress client) {
        ExchangeFailure refused = admission(subject, client);
        return refused != null ? Mono.error(refused) : observedExchange(subject);
    }

    /** A refusal remembered is answered before a permit is taken; then the limiter decides. {@code null}: admitted. */
    private ExchangeFailure admission(Subject subject, InetSocketAddress client) {
        ExchangeFailure remembered = remembered(subject);
        return remembered != null ? remembered : newSubjects.admit(client);
    }

    private Mono<SalesforceSession> exchange(Subject subject) {
        ExchangeFailure remembered = remembered(subject);
        return remembered != null ? Mono.error(remembered) : observedExchange(subject);
    }

    /** A refusal of this token, or a spent login limit of this subject, remembered; else {@code null}. */
    private ExchangeFailure remembered(Subject subject) {
        ExchangeFailure refused = refusals.recall(registration, subject.tokenDigest());
        return refused != null ? refused : refusals.recallThrottled(registration, subject.key());
    }

    private Mono<SalesforceSession> observedExchange(Subject subject) {
        return Mono.defer(() -> {
            long start = ticker.read();
            return source.exchange(subject)
                    .doOnNext(session -> observer.exchanged(registration, handler, subject.key(),
                            ticker.read() - start, session, null))
                    .doOnError(ExchangeFailure.class, failure -> {
                        observer.exchanged(registration, handler, subject.key(), ticker.read() - start, null, failure);
                        logFailure(failure);
                        if (failure.kind() == ExchangeFailure.Kind.SUBJECT_REJECTED
                                || failure.loginCondition() == ExchangeFailure.LoginCondition.IP_RESTRICTED) {
                            // IP_RESTRICTED too: the caller's retries would each be another failed login.
                            refusals.remember(registration, subject.tokenDigest(), failure);
                        } else if (failure.loginCondition() == ExchangeFailure.LoginCondition.USER_THROTTLED) {
                            refusals.rememberThrottled(registration, subject.key(), failure);
                        }
                    });
        });
    }

    /**
     * Once per failed exchange, however many callers joined it. Refusals of the open breaker are
     * not logged one by one: {@code ExchangeGuard} logs the breaker's transitions.
     */
    private void logFailure(ExchangeFailure failure) {
        if (failure.loginCondition() == ExchangeFailure.LoginCondition.IP_RESTRICTED) {
            // Said once at WARN, with its fix, by the classifier; counted as outcome ip_restricted.
            log.debug("Salesforce refused a login on registration {} (IP or login hours): {}", registration,
                    LogSafe.text(failure.detail()));
            return;
        }
        switch (failure.kind()) {
            // At DEBUG: the audit line records every exchange, and the refused-request counter counts them.
            case SUBJECT_REJECTED -> log.debug("Salesforce refused the subject token on registration {}: {}",
                    registration, LogSafe.text(failure.detail()));
            case CIRCUIT_OPEN -> log.debug("Token exchange refused on registration {}: circuit breaker open",
                    registration);
            default -> log.warn("Token exchange failed on registration {} ({}): {}", registration, failure.kind(),
                    LogSafe.text(failure.detail()));
        }
    }
}
