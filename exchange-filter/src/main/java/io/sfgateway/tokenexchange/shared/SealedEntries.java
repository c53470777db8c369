package io.sfgateway.tokenexchange.shared;

import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.session.SessionKey;
import io.sfgateway.tokenexchange.session.SessionLifetime;
import io.sfgateway.tokenexchange.session.StoredSession;
import io.sfgateway.tokenexchange.shared.SessionSeal.Name;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The sealed session entries in Redis, their locks and their users' eviction tombstones, by name.
 * A value reads as none unless it opens, belongs to the very subject asked for, carries the
 * tombstone that is in Redis now (its exchange began after the user's last eviction, or there has
 * been none), points where the registration's allowlist allows, and is still usable.
 * Every call goes through the {@link RedisGuard}.
 */
final class SealedEntries {

    /** One subject's entry: its names (one per key), the subject's full key, and its registration. */
    record Entry(List<Name> names, String subjectKey, StoredRegistration registration) {
    }

    /** The entry's eviction tombstone as read from Redis: its bytes, {@code null} when there is none. */
    record Tombstone(byte[] bytes) {
    }

    /**
     * One look at an entry: the session to serve ({@code null}: none) and the tombstone under the
     * name sessions are written to, as it was at that moment.
     */
    record Look(StoredSession found, Tombstone tombstone) {
    }

    private static final Logger log = LoggerFactory.getLogger(SealedEntries.class);
    /** Deletes the entry only if it still holds the session with that fingerprint (bytes 2 to 17). */
    private static final RedisScript<Long> RELEASE = RedisScript.of(
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0", Long.class);
    private static final RedisScript<Long> DELETE_IF_SAME = RedisScript.of("local v = redis.call('GET', KEYS[1]) "
            + "if v and string.sub(v, 2, 17) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0", Long.class);

    private final SessionSeal seal;
    private final RedisLink link;
    private final RedisGuard guard;
    private final Clock clock;
    private final Map<String, StoredRegistration> registrations;
    private final AtomicBoolean allowlistWarned = new AtomicBoolean();

    /** @param registrations every registration whose sessions the store keeps */
    SealedEntries(SessionSeal seal, RedisLink link, RedisGuard guard, Clock clock, List<StoredRegistration> registrations) {
        this.registrations = registrations.stream()
                .collect(Collectors.toUnmodifiableMap(StoredRegistration::name, Function.identity()));
        this.seal = seal;
        this.link = link;
        this.guard = guard;
        this.clock = clock;
    }

    SessionSeal seal() {
        return seal;
    }

    RedisLink link() {
        return link;
    }

    RedisGuard guard() {
        return guard;
    }

    Clock clock() {
        return clock;
    }

    /** The entry of {@code key}: named for its registration's deployment and its user. */
    Entry entry(SessionKey key) {
        StoredRegistration registration = registrations.get(key.registration());
        if (registration == null) {
            throw new IllegalArgumentException("registration " + key.registration() + " was not given to the store");
        }
        return new Entry(seal.names(registration.deployment(), key), key.subject(), registration);
    }

    /** The session under the first name that holds one to serve (with the user's tombstone, in one {@code MGET}); empty otherwise. */
    Mono<StoredSession> find(Entry entry, SessionLifetime lifetime) {
        return look(entry, lifetime).mapNotNull(Look::found);
    }

    /**
     * Reads the entry and its tombstone (one {@code MGET}) under the first name, then, when that
     * holds nothing to serve, under the older keys' names: what there is to serve, and the first
     * name's tombstone, which a session exchanged now will carry.
     */
    Mono<Look> look(Entry entry, SessionLifetime lifetime) {
        List<Name> names = entry.names();
        Name first = names.get(0);
        return read(first).flatMap(values -> {
            Tombstone tombstone = new Tombstone(values.get(1));
            StoredSession found = usable(entry, first, values.get(0), values.get(1), lifetime);
            if (found != null || names.size() == 1) {
                return Mono.just(new Look(found, tombstone));
            }
            return Flux.fromIterable(names.subList(1, names.size()))
                    .concatMap(name -> read(name).mapNotNull(older -> usable(entry, name, older.get(0), older.get(1), lifetime)))
                    .next()
                    .map(older -> new Look(older, tombstone))
                    .defaultIfEmpty(new Look(null, tombstone));
        });
    }

    private Mono<List<byte[]>> read(Name name) {
        return guard.call(() -> link.template().opsForValue().multiGet(List.of(name.redisKey(), name.tombstoneKey())));
    }

    /** A usable entry with another session than {@code current}, obtained no earlier. */
    Mono<StoredSession> newer(Entry entry, SessionLifetime lifetime, SalesforceSession current) {
        return find(entry, lifetime).filter(found -> isNewer(found, current));
    }

    /** {@code found} holds another session than {@code current}, obtained no earlier. */
    static boolean isNewer(StoredSession found, SalesforceSession current) {
        return !found.session().accessToken().equals(current.accessToken())
                && found.session().issuedAtMillis() >= current.issuedAtMillis();
    }

    /** Deletes each entry that still holds {@code stale}; one that holds a newer session stays. */
    Mono<Void> deleteIfSame(List<Name> names, SalesforceSession stale) {
        return Flux.fromIterable(names)
                .concatMap(name -> guard.call(() -> link.template()
                        .execute(DELETE_IF_SAME, List.of(name.redisKey()), List.of(seal.fingerprint(name, stale))).next()))
                .then();
    }

    /**
     * Evicts the user in every registration: a new tombstone, living as long as a session may, then
     * the entry itself. Every session whose exchange began before it carries another tombstone (or
     * none), so no write-back, replay or replica that missed the notice brings one back, whatever
     * the replicas' clocks say.
     */
    Mono<Void> evictUser(String userKey, long evictedAtMillis) {
        return Flux.fromIterable(registrations.values())
                .concatMap(registration -> Flux.fromIterable(entry(new SessionKey(registration.name(), userKey)).names())
                        .concatMap(name -> guard.call(() -> link.template().opsForValue().set(name.tombstoneKey(),
                                        seal.sealTombstone(name, evictedAtMillis), registration.sessionTimeout()))
                                .then(guard.call(() -> link.template().delete(name.redisKey())))))
                .then();
    }

    private StoredSession usable(Entry entry, Name name, byte[] value, byte[] tombstone, SessionLifetime lifetime) {
        SessionCodec.Decoded decoded = value == null ? null : seal.open(name, value);
        if (decoded == null) {
            if (value != null) {
                log.debug("Shared session store: ignored a value that does not open");
            }
            return null;
        }
        if (!decoded.subjectKey().equals(entry.subjectKey())) {
            return null; // the same user keyed by another value of the registration's claim
        }
        if (!MessageDigest.isEqual(decoded.tombstoneSeen(), SessionCodec.tombstoneSeen(tombstone))) {
            log.debug("Shared session store: ignored a session whose exchange began before its user's last eviction");
            return null;
        }
        if (!entry.registration().allowsRestUrl().test(decoded.session().instanceUrl())) {
            if (allowlistWarned.compareAndSet(false, true)) {
                log.warn("Shared session store: ignored a session of registration {} whose REST URL its instance-url-allowlist "
                        + "does not allow (written by a replica with another allowlist?). Said once.", entry.registration().name());
            }
            return null;
        }
        long ageMillis = Math.max(0, clock.millis() - decoded.obtainedAtMillis());
        return ageMillis < lifetime.usable(decoded.session()).toMillis()
                ? new StoredSession(decoded.session(), Duration.ofMillis(ageMillis).toNanos())
                : null;
    }

    /** Takes the entry's lock for {@code ttl} unless another holds it. */
    Mono<Boolean> claim(Name name, byte[] token, Duration ttl) {
        return guard.call(() -> link.template().opsForValue().setIfAbsent(name.lockKey(), token, ttl));
    }

    /** Gives the lock up if {@code token} still holds it. */
    Mono<Long> release(Name name, byte[] token) {
        return guard.call(() -> link.template().execute(RELEASE, List.of(name.lockKey()), List.of(token)).next());
    }

    /**
     * The token of the replica holding the entry's lock, empty when none does. A {@code GET}, not
     * {@code EXISTS}: the documented ACL grants only what the store sends.
     */
    Mono<byte[]> lockHolder(Name name) {
        return guard.call(() -> link.template().opsForValue().get(name.lockKey()));
    }
}
