package io.sfgateway.tokenexchange.shared;

import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.SessionGrant;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A session as bytes before sealing: when it was obtained (epoch millis), the eviction tombstone
 * its entry had when its exchange began (a length byte, then {@link SessionSeal#tombstoneSeen}'s
 * bytes; none: length 0), the full key of the subject it belongs to, then each field as a presence flag and length-prefixed UTF-8. A hand-written format rather than a serialization
 * library: eight fields, no schema evolution yet, and nothing that instantiates classes named
 * by the data.
 */
public final class SessionCodec {

    /** How much of a tombstone's digest a session carries. */
    private static final int TOMBSTONE_MARK = 16;

    private static final int MAX_FIELD = 1 << 20;

    private SessionCodec() {
    }

    /**
     * A decoded session, when (epoch millis) a replica obtained it, the tombstone its entry had
     * when that replica's exchange began (empty: none), and whose it is: the subject's full key (an
     * entry is named by the user alone, so the key is compared on opening).
     */
    public record Decoded(SalesforceSession session, long obtainedAtMillis, byte[] tombstoneSeen, String subjectKey) {
    }

    static byte[] encode(SalesforceSession session, long obtainedAtMillis, byte[] tombstoneSeen, String subjectKey) {
        if (tombstoneSeen.length > Byte.MAX_VALUE) {
            throw new IllegalArgumentException("a tombstone's mark is short");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(obtainedAtMillis);
            out.writeByte(tombstoneSeen.length);
            out.write(tombstoneSeen);
            write(out, subjectKey);
            write(out, session.accessToken());
            write(out, session.instanceUrl().toString());
            write(out, session.orgId());
            write(out, session.userId());
            out.writeLong(session.issuedAtMillis());
            write(out, session.scope());
            write(out, null); // formerly the refresh token, never kept
            write(out, null); // formerly the id token, never kept
            if (session.expiresAtMillis() > 0) {
                out.writeLong(session.expiresAtMillis()); // a JWT-format token's exp; absent for a session id
            }
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory", e);
        }
        return bytes.toByteArray();
    }

    /** The session, or {@code null} when the bytes are not one. */
    static Decoded decode(byte[] plain) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(plain))) {
            long obtainedAt = in.readLong();
            int seenLength = in.readUnsignedByte();
            if (seenLength > Byte.MAX_VALUE || seenLength > in.available()) {
                return null;
            }
            byte[] tombstoneSeen = in.readNBytes(seenLength);
            String subjectKey = read(in);
            String accessToken = read(in);
            URI instanceUrl = URI.create(read(in));
            String orgId = read(in);
            String userId = read(in);
            long issuedAt = in.readLong();
            String scope = read(in);
            read(in); // formerly the refresh token, never kept
            read(in); // formerly the id token, never kept
            long expiresAt = in.available() == Long.BYTES ? in.readLong() : 0;
            SalesforceSession session = new SalesforceSession(accessToken, SessionGrant.of(instanceUrl, orgId, scope),
                    userId, issuedAt, expiresAt);
            return in.available() == 0 ? new Decoded(session, obtainedAt, tombstoneSeen, subjectKey) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void write(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String read(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > MAX_FIELD || length > in.available()) {
            throw new IOException("bad field length");
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    /**
     * What a session carries of the tombstone seen when its exchange began, and what is compared
     * with the tombstone in Redis when it is read: the first 16 bytes of the SHA-256 of the
     * tombstone's bytes as stored (each eviction seals a new one, with a random nonce), empty for
     * none. Two tombstones are compared, never two replicas' clocks. A tombstone that does not open
     * (sealed under a key this replica does not know yet) still counts.
     */
    static byte[] tombstoneSeen(byte[] tombstone) {
        if (tombstone == null) {
            return new byte[0];
        }
        try {
            return Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(tombstone), TOMBSTONE_MARK);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
