package io.sfgateway.tokenexchange.shared;

import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.session.SessionKey;
import io.sfgateway.tokenexchange.session.SessionLifetime;
import io.sfgateway.tokenexchange.session.SessionStore;
import io.sfgateway.tokenexchange.session.StoredSession;
import io.sfgateway.tokenexchange.shared.RedisGuard.Unavailable;
import io.sfgateway.tokenexchange.shared.SessionSeal.Name;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The second level shared by every replica, in Redis. A local miss reads the entry; on a Redis
 * miss one replica takes the entry's lock ({@code SET NX PX}) and exchanges, the others wait for
 * its announcement (pub/sub, with a bounded poll as the fallback) and read what it wrote. A lock
 * whose holder died expires after {@code lockTtl}, and a waiter takes over. Refresh-ahead takes
 * the same lock, so one replica refreshes for the cluster and the others adopt the newer session.
 *
 * <p>Redis trouble of any kind ({@link Unavailable}) turns into what a lone gateway does:
 * exchange. Failures of the exchange itself pass through untouched.
 */
public final class RedisSessionStore implements SessionStore, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisSessionStore.class);
    private static final int MAX_TAKEOVERS = 3;
    private static final byte[] NO_HOLDER = new byte[0];

    private final Duration lockTtl;
    private final Duration poll;
    private final EvictionNotices notices;
    private final StoreReads reads;
    private final SealedEntries entries;

    /**
     * @param lockTtl how long a lock lives (longer than an exchange may take); {@code poll}: how often a waiter looks
     *     again without an announcement; {@code reads} times first reads, observes reads and locks ({@code NONE}: neither)
     */
    RedisSessionStore(SealedEntries entries, Duration lockTtl, Duration poll, StoreReads reads) {
        this.entries = entries;
        this.lockTtl = lockTtl;
        this.poll = poll;
        this.reads = reads;
        this.notices = new EvictionNotices(entries.seal(), entries.clock());
    }

    /** Stops listening to Redis; the connection itself is the application's. */
    @Override
    public void close() {
        entries.link().close();
    }

    /** Its seal, link to Redis, guard and clock. */
    SealedEntries entries() {
        return entries;
    }

    @Override
    public void onRemoteEviction(RemoteEvictions localCache) {
        entries.link().start(notice -> notices.apply(notice, localCache), () -> {
            log.info("Shared session store: listening to Redis again; local sessions dropped, as evictions may have been missed");
            localCache.evictAll();
        });
    }

    /**
     * A local miss. Each Redis call is bounded by the store's timeout. A call that fails or is
     * refused (breaker open, not connected) makes this replica exchange alone (and still write back
     * what it got). A call that is only late does not: a loaded node answers late, and exchanging
     * alone would spend a Salesforce login per replica. So a late first read goes on to the lock
     * (whose holder reads again before exchanging); a late claim is settled by reading whose the
     * lock is; and having lost the lock race, the replica waits for the holder's session for as
     * long as an exchange may take ({@code lockTtl}), however late some of its polls are. A hanging
     * Redis makes every call late, which opens the breaker ({@link SharedStores}).
     */
    @Override
    public Mono<StoredSession> load(SessionKey key, SessionLifetime lifetime, Supplier<Mono<SalesforceSession>> exchange) {
        long deadline = entries.clock().millis() + lockTtl.toMillis();
        Miss miss = new Miss(entries.entry(key), lifetime, exchange, entries.seal().lockToken(), deadline);
        return reads.time(find(miss))
                .onErrorResume(Unavailable.class, trouble -> trouble.timedOut() ? Mono.empty() : Mono.error(trouble))
                .switchIfEmpty(Mono.defer(() -> claimOrWait(miss, 0)))
                .onErrorResume(Unavailable.class, trouble -> exchangeAndWrite(miss, () -> release(miss.name(), miss.token())));
    }

    @Override
    public Mono<StoredSession> refresh(SessionKey key, SessionLifetime lifetime, SalesforceSession current,
            Supplier<Mono<SalesforceSession>> exchange) {
        SealedEntries.Entry entry = entries.entry(key);
        Miss miss = new Miss(entry, lifetime, exchange, entries.seal().lockToken(), 0);
        Name name = miss.name();
        byte[] token = miss.token();
        return newer(miss, current)
                .switchIfEmpty(Mono.defer(() -> claim(name, token).flatMap(claimed -> claimed
                        ? holdAndRefresh(miss, current)
                        : Mono.firstWithSignal(entries.link().written(name.redisKey()), Mono.delay(lockTtl).then())
                                .then(Mono.defer(() -> entries.newer(entry, lifetime, current)))
                                .doFinally(signal -> entries.link().forget(name.redisKey())))))
                .onErrorResume(Unavailable.class, trouble -> exchange.get().map(StoredSession::fresh));
    }

    @Override
    public Mono<Void> evict(SessionKey key, SalesforceSession stale) {
        return entries.deleteIfSame(entries.entry(key).names(), stale)
                .then(entries.guard().call(() -> entries.link().announceEviction(notices.session(key, stale))))
                .onErrorResume(trouble -> Mono.empty())
                .then();
    }

    /**
     * Evicts the user on every replica: a tombstone per registration, then a notice to every
     * replica's local cache. Fails ({@link Unavailable}) when Redis could not be told: then the
     * eviction did not reach the other replicas, and the caller must say so.
     */
    @Override
    public Mono<Void> evictSubject(String userKey) {
        return entries.evictUser(userKey, entries.clock().millis())
                .then(entries.guard().call(() -> entries.link().announceEviction(notices.user(userKey))))
                .then();
    }

    /** This replica holds the refresh lock: adopt a newer session if one was just written, else exchange. */
    private Mono<StoredSession> holdAndRefresh(Miss miss, SalesforceSession current) {
        Runnable release = () -> release(miss.name(), miss.token());
        return newer(miss, current).onErrorResume(Unavailable.class, trouble -> Mono.empty())
                .doOnNext(found -> release.run())
                .switchIfEmpty(Mono.defer(() -> exchangeAndWrite(miss, release)));
    }

    /** A Redis miss: take the lock and exchange, or wait for the replica holding it. */
    private Mono<StoredSession> claimOrWait(Miss miss, int takeovers) {
        return claim(miss.name(), miss.token())
                // Late: the lock may be ours all the same; the wait reads whose it is.
                .onErrorResume(Unavailable.class, trouble -> trouble.timedOut() ? Mono.just(false) : Mono.error(trouble))
                .flatMap(claimed -> claimed
                        ? holdAndExchange(miss)
                        : awaitHolder(miss, takeovers, new Holder(NO_HOLDER, miss.deadline())));
    }

    /**
     * This replica holds the lock: look once more (the previous holder may have just written),
     * else exchange. The lock is released once the session is written, never before, so a waiter
     * that finds no lock and no entry knows the holder failed.
     */
    private Mono<StoredSession> holdAndExchange(Miss miss) {
        Runnable release = () -> release(miss.name(), miss.token());
        return find(miss).onErrorResume(Unavailable.class, trouble -> Mono.empty())
                .doOnNext(found -> release.run())
                .switchIfEmpty(Mono.defer(() -> exchangeAndWrite(miss, release)));
    }

    /**
     * Another replica holds the lock: read again whenever it announces a write, or every
     * {@code poll}; take over if the lock goes away with nothing written. A holder is waited for
     * up to {@code lockTtl} from when it was first seen holding the lock (its exchange cannot take
     * longer, and its lock lives no longer), however long the node took to get there; a late
     * answer only means another round. Past that, or when Redis refuses or fails, exchange alone.
     */
    private Mono<StoredSession> awaitHolder(Miss miss, int takeovers, Holder seen) {
        String redisKey = miss.name().redisKey();
        Mono<Void> announced = entries.link().written(redisKey);
        return find(miss)
                .switchIfEmpty(Mono.defer(() -> entries.lockHolder(miss.name())
                        .map(holder -> holder.length == 0 ? NO_HOLDER : holder)
                        .defaultIfEmpty(NO_HOLDER)
                        .flatMap(holder -> {
                            if (Arrays.equals(holder, miss.token())) {
                                return holdAndExchange(miss); // a late claim that took the lock after all
                            }
                            boolean locked = holder != NO_HOLDER;
                            long now = entries.clock().millis();
                            Holder current = locked && !Arrays.equals(holder, seen.token())
                                    ? new Holder(holder, Math.max(seen.until(), now + lockTtl.toMillis()))
                                    : seen;
                            if (!locked) {
                                // Nobody holds it and nothing is written: claim it, however late (cheap next to an exchange).
                                return takeovers < MAX_TAKEOVERS ? claimOrWait(miss, takeovers + 1)
                                        : exchangeAndWrite(miss, () -> { });
                            }
                            return now > current.until() ? exchangeAndWrite(miss, () -> { })
                                    : nextRound(announced, miss, takeovers, current);
                        })))
                .onErrorResume(Unavailable.class, trouble -> trouble.timedOut() && entries.clock().millis() <= seen.until()
                        ? nextRound(announced, miss, takeovers, seen)
                        : Mono.error(trouble))
                .doFinally(signal -> entries.link().forget(redisKey));
    }

    private Mono<StoredSession> nextRound(Mono<Void> announced, Miss miss, int takeovers, Holder seen) {
        return Mono.firstWithSignal(announced, Mono.delay(poll).then())
                .then(Mono.defer(() -> awaitHolder(miss, takeovers, seen)));
    }

    /** The lock holder a waiter last saw, and until when (epoch millis) it waits for that holder. */
    private record Holder(byte[] token, long until) {
    }

    /** The entry's session to serve, remembering the tombstone read with it. */
    private Mono<StoredSession> find(Miss miss) {
        return entries.look(miss.entry(), miss.lifetime()).doOnNext(miss::saw).mapNotNull(SealedEntries.Look::found);
    }

    /** A session in Redis newer than {@code current}, remembering the tombstone read with it. */
    private Mono<StoredSession> newer(Miss miss, SalesforceSession current) {
        return find(miss).filter(found -> SealedEntries.isNewer(found, current));
    }

    /**
     * Exchanges, then writes and announces the session in the background (the caller does not
     * wait for Redis), then runs {@code done}; on a failed exchange, runs {@code done} at once. The
     * session carries the entry's tombstone as last read before the exchange began, and is served
     * from Redis only while that tombstone is the one there: one whose exchange began before its
     * user was evicted never is, however late it is written and whatever the replicas' clocks say.
     * When no read of the tombstone succeeded, nothing is written (it could not be told apart).
     */
    private Mono<StoredSession> exchangeAndWrite(Miss miss, Runnable done) {
        Name name = miss.name();
        SealedEntries.Tombstone seen = miss.seen().get();
        long began = entries.clock().millis();
        return miss.exchange().get().doOnError(failure -> done.run()).map(session -> {
            if (seen == null) {
                done.run();
                return StoredSession.fresh(session);
            }
            byte[] value = entries.seal().seal(name, session, began, seen.bytes(), miss.entry().subjectKey());
            entries.guard().background(() -> entries.link().template().opsForValue().set(name.redisKey(), value, miss.lifetime().usable(session)),
                            lockTtl)
                    .then(entries.guard().background(() -> entries.link().announceWritten(name.redisKey()), lockTtl))
                    .doFinally(signal -> done.run())
                    .subscribe(null, trouble -> log.debug("Shared session store: write skipped ({})", trouble.getMessage()));
            return StoredSession.fresh(session);
        });
    }

    private Mono<Boolean> claim(Name name, byte[] token) {
        return reads.lock(entries.claim(name, token, lockTtl));
    }

    private void release(Name name, byte[] token) {
        entries.release(name, token).subscribe(null, trouble -> { }); // if this fails, the lock expires on its own
    }
}
