package io.sfgateway.tokenexchange.shared;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.session.SessionKey;
import io.sfgateway.tokenexchange.session.SessionStore.RemoteEvictions;
import io.sfgateway.tokenexchange.shared.RedisSessionStoreTest.FakeTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Notices replayed into the eviction channel, or arriving long after they were sent, do nothing. */
class EvictionNoticesTest {

    private final FakeTime time = new FakeTime();
    private final SessionSeal seal = new SessionSeal("k1", Map.of("k1", SessionSealTest.K1));
    private final EvictionNotices sender = new EvictionNotices(seal, time);
    private final EvictionNotices receiver = new EvictionNotices(seal, time);
    private final List<String> applied = new ArrayList<>();
    private final RemoteEvictions localCache = new RemoteEvictions() {
        @Override
        public void evict(SessionKey key, Predicate<SalesforceSession> stale) {
            applied.add("session " + key.subject());
        }

        @Override
        public void evictSubject(String userKey) {
            applied.add("user " + userKey);
        }

        @Override
        public void evictAll() {
            applied.add("all");
        }
    };

    @Test
    void aNoticeIsAppliedOnceHoweverOftenItIsReplayed() {
        byte[] notice = sender.user("jwt:https://idp alice");
        for (int i = 0; i < 1_000; i++) {
            receiver.apply(notice, localCache);
        }
        assertThat(applied).containsExactly("user jwt:https://idp alice");

        receiver.apply(sender.user("jwt:https://idp alice"), localCache);
        assertThat(applied).as("a new eviction of the same user is applied").hasSize(2);
    }

    @Test
    void aNoticeRecordedAndReplayedLaterIsDropped() {
        byte[] recorded = sender.session(new SessionKey("acme", "jwt:https://idp alice"),
                RedisSessionStoreTest.session("stale", 0));
        time.advance(EvictionNotices.MAX_AGE.plus(Duration.ofSeconds(1)));
        receiver.apply(recorded, localCache);
        assertThat(applied).isEmpty();
    }

    @Test
    void aNoticeFromAnotherKeyOrAlteredIsDropped() {
        byte[] notice = new EvictionNotices(new SessionSeal("k9", Map.of("k9", SessionSealTest.key(9))), time)
                .user("jwt:https://idp alice");
        receiver.apply(notice, localCache);
        byte[] altered = sender.user("jwt:https://idp alice");
        altered[altered.length - 1] ^= 1;
        receiver.apply(altered, localCache);
        assertThat(applied).isEmpty();
    }
}
