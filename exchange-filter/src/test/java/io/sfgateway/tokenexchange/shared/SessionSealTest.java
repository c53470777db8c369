package io.sfgateway.tokenexchange.shared;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.SessionGrant;
import io.sfgateway.tokenexchange.session.SessionKey;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionSealTest {

    static final byte[] K1 = key(1);
    static final byte[] K2 = key(2);
    private static final String DEPLOYMENT = "https://acme.my.salesforce.com client-1";
    private static final SessionKey ALICE = new SessionKey("acme", "jwt:https://idp alice");
    private static final SalesforceSession SESSION = new SalesforceSession("00Dxx!secret-session",
            SessionGrant.of(URI.create("https://acme.my.salesforce.com"), "00D", "api"), "005", 1_700_000_000_000L);

    private final SessionSeal seal = new SessionSeal("k1", Map.of("k1", K1));

    @Test
    void aSealedSessionOpensUnderItsNameWithEveryField() {
        SessionSeal.Name name = seal.names(DEPLOYMENT, ALICE).get(0);
        byte[] value = seal.seal(name, SESSION, 42L, null, ALICE.subject());
        SessionCodec.Decoded opened = seal.open(name, value);
        assertThat(opened.session()).usingRecursiveComparison().isEqualTo(SESSION);
        assertThat(opened.obtainedAtMillis()).isEqualTo(42L);
    }

    @Test
    void aJwtFormatSessionKeepsItsExpiry() {
        SalesforceSession jwt = new SalesforceSession("eyJ.x.y",
                SessionGrant.of(URI.create("https://acme.my.salesforce.com"),
                "00D", "api"), "005", 1_700_000_000_000L, 1_700_001_800_000L);
        SessionSeal.Name name = seal.names(DEPLOYMENT, ALICE).get(0);
        assertThat(seal.open(name, seal.seal(name, jwt, 42L, null, ALICE.subject())).session()).usingRecursiveComparison().isEqualTo(jwt);
    }

    @Test
    void redisSeesNeitherTheSessionNorTheSubject() {
        SessionSeal.Name name = seal.names(DEPLOYMENT, ALICE).get(0);
        String value = new String(seal.seal(name, SESSION, 42L, null, ALICE.subject()), StandardCharsets.ISO_8859_1);
        assertThat(value).doesNotContain("secret-session", "salesforce.com", "refresh");
        assertThat(name.redisKey()).startsWith("sfgw:s:").doesNotContain("alice", "acme", "idp");
        assertThat(name.lockKey()).startsWith("sfgw:l:");
        assertThat(seal.names(DEPLOYMENT, new SessionKey("acme", "jwt:https://idp bob")).get(0)).isNotEqualTo(name);
    }

    @Test
    void everyAlteredByteTruncationAndGarbageIsRefused() {
        SessionSeal.Name name = seal.names(DEPLOYMENT, ALICE).get(0);
        byte[] value = seal.seal(name, SESSION, 42L, null, ALICE.subject());
        for (int i = 0; i < value.length; i++) {
            byte[] tampered = value.clone();
            tampered[i] ^= 0x01;
            assertThat(seal.open(name, tampered)).as("byte %d altered", i).isNull();
        }
        for (int length = 0; length < value.length; length++) {
            assertThat(seal.open(name, Arrays.copyOf(value, length))).as("cut to %d bytes", length).isNull();
        }
        assertThat(seal.open(name, "not a session at all".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(seal.open(name, new byte[0])).isNull();
    }

    @Test
    void aValueMovedToAnotherSubjectsEntryDoesNotOpenThere() {
        SessionSeal.Name alice = seal.names(DEPLOYMENT, ALICE).get(0);
        SessionSeal.Name bob = seal.names(DEPLOYMENT, new SessionKey("acme", "jwt:https://idp bob")).get(0);
        assertThat(seal.open(bob, seal.seal(alice, SESSION, 42L, null, ALICE.subject()))).isNull();
    }

    @Test
    void aValueSealedUnderAKeyThisReplicaDoesNotHoldIsRefused() {
        SessionSeal foreign = new SessionSeal("k9", Map.of("k9", key(9)));
        SessionSeal.Name name = foreign.names(DEPLOYMENT, ALICE).get(0);
        byte[] value = foreign.seal(name, SESSION, 42L, null, ALICE.subject());
        assertThat(seal.open(new SessionSeal.Name("k1", name.redisKey()), value)).isNull();
        SessionSeal sameIdOtherKey = new SessionSeal("k1", Map.of("k1", key(7)));
        assertThat(seal.open(seal.names(DEPLOYMENT, ALICE).get(0),
                sameIdOtherKey.seal(seal.names(DEPLOYMENT, ALICE).get(0), SESSION, 42L, null, ALICE.subject()))).isNull();
    }

    @Test
    void afterRotationTheOldKeyStillOpensAndTheNewOneSeals() {
        Map<String, byte[]> both = new LinkedHashMap<>();
        both.put("k1", K1);
        both.put("k2", K2);
        SessionSeal rotated = new SessionSeal("k2", both);
        SessionSeal.Name oldName = seal.names(DEPLOYMENT, ALICE).get(0);
        assertThat(rotated.names(DEPLOYMENT, ALICE)).extracting(SessionSeal.Name::keyId).containsExactly("k2", "k1");
        assertThat(rotated.names(DEPLOYMENT, ALICE).get(1)).isEqualTo(oldName);
        assertThat(rotated.open(oldName, seal.seal(oldName, SESSION, 42L, null, ALICE.subject())).session().accessToken())
                .isEqualTo(SESSION.accessToken());

        SessionSeal.Name newName = rotated.names(DEPLOYMENT, ALICE).get(0);
        byte[] sealedByNew = rotated.seal(newName, SESSION, 42L, null, ALICE.subject());
        assertThat(seal.open(newName, sealedByNew)).as("a replica without k2 cannot open it").isNull();
        assertThat(rotated.open(newName, sealedByNew)).isNotNull();
    }

    @Test
    void aFingerprintRecognisesOnlyItsOwnSession() {
        SessionSeal.Name name = seal.names(DEPLOYMENT, ALICE).get(0);
        byte[] value = seal.seal(name, SESSION, 42L, null, ALICE.subject());
        assertThat(Arrays.copyOfRange(value, 1, 17)).isEqualTo(seal.fingerprint(name, SESSION));
        SalesforceSession other = new SalesforceSession("another",
                SessionGrant.of(SESSION.instanceUrl(), null, null), null, 0);
        assertThat(seal.fingerprint(name, other)).isNotEqualTo(seal.fingerprint(name, SESSION));
    }

    @Test
    void oneNamePerUserAndDeploymentWhateverOtherClaimKeysTheSession() {
        SessionKey byEmail = new SessionKey("acme", ALICE.subject() + " email=alice@example.com");
        assertThat(seal.names(DEPLOYMENT, byEmail)).isEqualTo(seal.names(DEPLOYMENT, ALICE));
        assertThat(seal.names("https://acme--uat.sandbox.my.salesforce.com client-1", ALICE))
                .isNotEqualTo(seal.names(DEPLOYMENT, ALICE));
        SessionSeal.Name name = seal.names(DEPLOYMENT, byEmail).get(0);
        assertThat(seal.open(name, seal.seal(name, SESSION, 42L, null, byEmail.subject())).subjectKey())
                .as("the full key travels inside the seal").isEqualTo(byEmail.subject());
        assertThat(name.redisKey()).startsWith("sfgw:s:{").endsWith("}");
        assertThat(name.tombstoneKey()).isEqualTo("sfgw:t:" + name.redisKey().substring("sfgw:s:".length()));
    }

    @Test
    void aTombstoneOpensOnlyUnderItsOwnName() {
        SessionSeal.Name alice = seal.names(DEPLOYMENT, ALICE).get(0);
        SessionSeal.Name bob = seal.names(DEPLOYMENT, new SessionKey("acme", "jwt:https://idp bob")).get(0);
        byte[] tombstone = seal.sealTombstone(alice, 1_700_000_000_123L);
        assertThat(seal.evictedAt(alice, tombstone)).isEqualTo(1_700_000_000_123L);
        assertThat(seal.evictedAt(bob, tombstone)).isEqualTo(Long.MIN_VALUE);
        assertThat(seal.evictedAt(alice, null)).isEqualTo(Long.MIN_VALUE);
        assertThat(seal.open(alice, tombstone)).as("a tombstone is not a session").isNull();
    }

    @Test
    void theTombstoneSeenTravelsInsideTheSealAndOnlyItsMarkIsKept() {
        SessionSeal.Name name = seal.names(DEPLOYMENT, ALICE).get(0);
        byte[] tombstone = seal.sealTombstone(name, 7L);
        SessionCodec.Decoded opened = seal.open(name, seal.seal(name, SESSION, 42L, tombstone, ALICE.subject()));
        assertThat(opened.tombstoneSeen()).isEqualTo(SessionCodec.tombstoneSeen(tombstone)).hasSize(16);
        assertThat(seal.open(name, seal.seal(name, SESSION, 42L, null, ALICE.subject())).tombstoneSeen()).isEmpty();
        assertThat(SessionCodec.tombstoneSeen(seal.sealTombstone(name, 7L))).as("each eviction's tombstone is another")
                .isNotEqualTo(SessionCodec.tombstoneSeen(tombstone));
    }

    @Test
    void aSessionSealedAsEarlierVersionsDidDoesNotOpen() throws Exception {
        SessionSeal.Name name = seal.names(DEPLOYMENT, ALICE).get(0);
        assertThat(seal.open(name, sealedAs(seal, K1, name, SESSION, 2,
                SessionCodec.encode(SESSION, 42L, new byte[0], ALICE.subject())))).as("this test's sealing is the seal's").isNotNull();
        assertThat(seal.open(name, versionOne(seal, K1, name, SESSION, 42L, ALICE.subject()))).isNull();
    }

    /** {@code session} as gateways before the tombstone mark sealed it: version 1, no mark inside. */
    static byte[] versionOne(SessionSeal seal, byte[] key, SessionSeal.Name name, SalesforceSession session,
            long obtainedAtMillis, String subjectKey) {
        byte[] current = SessionCodec.encode(session, obtainedAtMillis, new byte[0], subjectKey);
        byte[] plain = new byte[current.length - 1]; // without the mark's length byte, after the time
        System.arraycopy(current, 0, plain, 0, Long.BYTES);
        System.arraycopy(current, Long.BYTES + 1, plain, Long.BYTES, current.length - Long.BYTES - 1);
        try {
            return sealedAs(seal, key, name, session, 1, plain);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sealedAs(SessionSeal seal, byte[] key, SessionSeal.Name name, SalesforceSession session, int version,
            byte[] plain) throws Exception {
        byte[] id = name.keyId().getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream header = new java.io.ByteArrayOutputStream();
        header.write(version);
        header.write(seal.fingerprint(name, session));
        header.write(id.length);
        header.write(id);
        byte[] nonce = new byte[12];
        Arrays.fill(nonce, (byte) 7);
        javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(key, "AES"),
                new javax.crypto.spec.GCMParameterSpec(128, nonce));
        cipher.updateAAD(name.redisKey().getBytes(StandardCharsets.UTF_8));
        cipher.updateAAD(header.toByteArray());
        byte[] sealed = cipher.doFinal(plain);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(header.toByteArray());
        out.write(nonce);
        out.write(sealed);
        return out.toByteArray();
    }

    static byte[] key(int seed) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) seed);
        key[0] = (byte) (seed * 31);
        return key;
    }
}
