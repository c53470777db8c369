package io.sfgateway.tokenexchange.session;

import io.sfgateway.tokenexchange.ExchangeFailure;
import io.sfgateway.tokenexchange.SalesforceSession;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import reactor.core.publisher.Mono;

/**
 * A session in the cache with its deadlines, measured on the cache's ticker from the moment the
 * gateway received it (the basis Salesforce's own timeout runs from, give or take the round trip).
 *
 * <p>A failed exchange is also held as a value, {@link #failed}, that expires at once: requests
 * that joined the exchange get its failure, nothing is kept, and Caffeine does not log an
 * expected refusal as a failed load.
 */
final class CachedSession {

    private static final long REFRESHING = Long.MAX_VALUE;
    private static final VarHandle REFRESH_AT = refreshAtHandle();

    private final SalesforceSession session;
    private final ExchangeFailure failure;
    private final SessionLifetime lifetime;
    private final long expireAtNanos;
    /**
     * When a hit should start a background refresh; {@link #REFRESHING} while one runs. A
     * volatile field updated through {@link #REFRESH_AT} rather than an {@code AtomicLong}: one
     * object less per cached session.
     */
    private volatile long refreshAtNanos;

    CachedSession(SalesforceSession session, SessionLifetime lifetime, long receivedAtNanos) {
        this.session = session;
        this.failure = null;
        this.lifetime = lifetime;
        this.expireAtNanos = receivedAtNanos + lifetime.usableNanos(session);
        this.refreshAtNanos = receivedAtNanos + lifetime.refreshAfterNanos(session);
    }

    private CachedSession(ExchangeFailure failure, SessionLifetime lifetime, long nowNanos) {
        this.session = null;
        this.failure = failure;
        this.lifetime = lifetime;
        this.expireAtNanos = nowNanos;
        this.refreshAtNanos = REFRESHING;
    }

    static CachedSession failed(ExchangeFailure failure, SessionLifetime lifetime, long nowNanos) {
        return new CachedSession(failure, lifetime, nowNanos);
    }

    /** The value of a finished, successful load, else {@code null}. */
    static CachedSession ready(CompletableFuture<CachedSession> future) {
        return future == null || !future.isDone() || future.isCompletedExceptionally() ? null : future.join();
    }

    SalesforceSession session() {
        return session;
    }

    boolean isFailure() {
        return failure != null;
    }

    /** The session, or the exchange's failure. */
    Mono<SalesforceSession> toMono() {
        return failure == null ? Mono.just(session) : Mono.error(failure);
    }

    SessionLifetime lifetime() {
        return lifetime;
    }

    long expireAtNanos() {
        return expireAtNanos;
    }

    /** Claims the one background refresh of this entry when it is due; true for exactly one caller. */
    boolean claimRefresh(long nowNanos) {
        long due = refreshAtNanos;
        return nowNanos >= due && due != REFRESHING && REFRESH_AT.compareAndSet(this, due, REFRESHING);
    }

    /** After a failed refresh: let a later hit try again. */
    void refreshFailed(long nowNanos) {
        refreshAtNanos = nowNanos + lifetime.refreshRetryNanos();
    }

    private static VarHandle refreshAtHandle() {
        try {
            return MethodHandles.lookup().findVarHandle(CachedSession.class, "refreshAtNanos", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
