package io.sfgateway.tokenexchange.shared;

import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.session.SessionLifetime;
import io.sfgateway.tokenexchange.session.StoredSession;
import io.sfgateway.tokenexchange.shared.SessionSeal.Name;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The sealed session entries in Redis and their locks, by name: a value that does not open, or
 * whose session is no longer usable, reads as none. Every call goes through the {@link RedisGuard}.
 */
final class SealedEntries {

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

    SealedEntries(SessionSeal seal, RedisLink link, RedisGuard guard, Clock clock) {
        this.seal = seal;
        this.link = link;
        this.guard = guard;
        this.clock = clock;
    }

    /** The entry under the first name that holds one that opens and is still usable; empty otherwise. */
    Mono<StoredSession> find(List<Name> names, SessionLifetime lifetime) {
        return Flux.fromIterable(names)
                .concatMap(name -> guard.call(() -> link.template().opsForValue().get(name.redisKey()))
                        .mapNotNull(value -> usable(name, value, lifetime)))
                .next();
    }

    /** A usable entry with another session than {@code current}, obtained no earlier. */
    Mono<StoredSession> newer(List<Name> names, SessionLifetime lifetime, SalesforceSession current) {
        return find(names, lifetime).filter(found -> !found.session().accessToken().equals(current.accessToken())
                && found.session().issuedAtMillis() >= current.issuedAtMillis());
    }

    /** Deletes each entry that still holds {@code stale}; one that holds a newer session stays. */
    Mono<Void> deleteIfSame(List<Name> names, SalesforceSession stale) {
        return Flux.fromIterable(names)
                .concatMap(name -> guard.call(() -> link.template()
                        .execute(DELETE_IF_SAME, List.of(name.redisKey()), List.of(seal.fingerprint(name, stale))).next()))
                .then();
    }

    Mono<Void> delete(List<Name> names) {
        return Flux.fromIterable(names).concatMap(name -> guard.call(() -> link.template().delete(name.redisKey()))).then();
    }

    private StoredSession usable(Name name, byte[] value, SessionLifetime lifetime) {
        SessionCodec.Decoded decoded = seal.open(name, value);
        if (decoded == null) {
            log.debug("Shared session store: ignored a value that does not open");
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
