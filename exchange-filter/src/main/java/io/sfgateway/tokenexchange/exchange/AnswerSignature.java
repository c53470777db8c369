package io.sfgateway.tokenexchange.exchange;

import io.sfgateway.tokenexchange.ExchangeFailure;
import io.sfgateway.tokenexchange.ExchangeFailure.Kind;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Salesforce's {@code signature} over a token answer: Base64 of HMAC-SHA256 of {@code id} followed
 * by {@code issued_at}, keyed with the connected app's consumer secret.
 */
final class AnswerSignature {

    /** {@code Mac.getInstance} looks the provider up each time: one keyed instance per thread instead. */
    private final ThreadLocal<Mac> mac;

    AnswerSignature(String clientSecret) {
        this.mac = ThreadLocal.withInitial(() -> {
            try {
                Mac keyed = Mac.getInstance("HmacSHA256");
                keyed.init(new SecretKeySpec(clientSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
                return keyed;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is always available", e);
            }
        });
    }

    /** @throws ExchangeFailure ({@link Kind#SESSION_UNACCEPTABLE}) unless {@code signature} signs {@code id} and {@code issuedAt} */
    void verify(String id, String issuedAt, String signature) {
        if (id == null || issuedAt == null) {
            throw unacceptable("signature present without id and issued_at");
        }
        byte[] expected;
        byte[] actual;
        try {
            expected = mac.get().doFinal((id + issuedAt).getBytes(StandardCharsets.UTF_8));
            actual = Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            throw unacceptable("signature is not valid Base64 HMAC-SHA256");
        }
        if (!MessageDigest.isEqual(expected, actual)) {
            throw unacceptable("signature does not match id + issued_at");
        }
    }

    private static ExchangeFailure unacceptable(String detail) {
        return new ExchangeFailure(Kind.SESSION_UNACCEPTABLE, detail);
    }
}
