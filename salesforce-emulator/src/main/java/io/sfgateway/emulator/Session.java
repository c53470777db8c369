package io.sfgateway.emulator;

import java.time.Duration;
import java.time.Instant;

/** An issued Salesforce session. */
record Session(String accessToken, String subject, String userId, String clientId, Instant issuedAt) {

    boolean expired(Duration timeout, Instant now) {
        return !now.isBefore(issuedAt.plus(timeout));
    }

    /** Hides the access token. */
    @Override
    public String toString() {
        return "Session[subject=" + subject + ", userId=" + userId + ", clientId=" + clientId + ", issuedAt="
                + issuedAt + "]";
    }
}
