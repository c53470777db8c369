package io.sfgateway.tokenexchange.actuate;

import io.sfgateway.tokenexchange.session.SessionCache;
import io.sfgateway.tokenexchange.Subject;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code POST /actuator/salesforcesessions} with {@code {"issuer": "…", "subject": "…"}}: drops
 * every cached Salesforce session of one caller (incident response: a user offboarded or a
 * session suspected stolen), so their next request needs a new exchange, which Salesforce may
 * then refuse. {@code subject} is the token's {@code sub}: every session of that user goes, also
 * where a registration names users by another claim. Sessions of opaque tokens are keyed by the token's hash and cannot be named here;
 * revoke those in Salesforce.
 *
 * <p>Off by default ({@link Access#NONE}) and only created when the management server runs on
 * its own port, so it is never reachable through the gateway's public port.
 */
@Endpoint(id = "salesforcesessions", defaultAccess = Access.NONE)
public class SalesforceSessionsEndpoint {

    private final SessionCache sessions;

    public SalesforceSessionsEndpoint(SessionCache sessions) {
        this.sessions = sessions;
    }

    @WriteOperation
    public Map<String, Object> evict(String issuer, String subject) {
        if (issuer == null || issuer.isBlank() || subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("issuer and subject are required");
        }
        long evicted = sessions.invalidateSubject(Subject.validatedKey(issuer, subject));
        return Map.of("issuer", issuer, "subject", subject, "evicted", evicted);
    }
}
