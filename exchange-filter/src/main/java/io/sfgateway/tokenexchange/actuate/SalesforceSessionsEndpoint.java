package io.sfgateway.tokenexchange.actuate;

import io.sfgateway.tokenexchange.LogSafe;
import io.sfgateway.tokenexchange.Subject;
import io.sfgateway.tokenexchange.observe.ExchangeObserver;
import io.sfgateway.tokenexchange.session.SessionCache;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import reactor.core.publisher.Mono;

/**
 * {@code POST /actuator/salesforcesessions} with {@code {"issuer": "…", "subject": "…"}}: drops
 * every cached Salesforce session of one caller (incident response: a user offboarded or a
 * session suspected stolen), so their next request needs a new exchange, which Salesforce may
 * then refuse. {@code subject} is the token's {@code sub}: every session of that user goes, also
 * where a registration names users by another claim. Sessions of opaque tokens are keyed by the
 * token's hash and cannot be named here; revoke those in Salesforce.
 *
 * <p>With the shared store, the answer waits for Redis: {@code 200} once every replica will
 * honour the eviction (a tombstone no session obtained before it gets past), {@code 503} when
 * Redis could not be told, and the other replicas may still serve the user: repeat it. Either way
 * one audit line records it.
 *
 * <p>Off by default ({@link Access#NONE}) and only created when the management server runs on
 * its own port, so it is never reachable through the gateway's public port.
 */
@Endpoint(id = "salesforcesessions", defaultAccess = Access.NONE)
public class SalesforceSessionsEndpoint {

    static final String AUDIT_MESSAGE = "session eviction";
    private static final Logger audit = LoggerFactory.getLogger(ExchangeObserver.AUDIT_LOGGER);

    private final SessionCache sessions;
    private final Clock clock;

    public SalesforceSessionsEndpoint(SessionCache sessions, Clock clock) {
        this.sessions = sessions;
        this.clock = clock;
    }

    @WriteOperation
    public Mono<WebEndpointResponse<Map<String, Object>>> evict(String issuer, String subject) {
        if (issuer == null || issuer.isBlank() || subject == null || subject.isBlank()) {
            throw new InvalidEndpointRequestException("issuer and subject are required", "issuer and subject are required");
        }
        String userKey = Subject.validatedKey(issuer, subject);
        // Detached from the request: an admin client that gives up half-way does not leave the
        // eviction half done (some tombstones written, no notice sent) nor unaudited.
        CompletableFuture<WebEndpointResponse<Map<String, Object>>> done = Mono.defer(() -> sessions.invalidateSubject(userKey))
                .map(evicted -> answer(userKey, issuer, subject, evicted, true))
                .onErrorResume(trouble -> Mono.just(answer(userKey, issuer, subject, 0, false)))
                .toFuture();
        return Mono.fromFuture(done, true);
    }

    private WebEndpointResponse<Map<String, Object>> answer(String userKey, String issuer, String subject, long evicted,
            boolean everywhere) {
        audit.atInfo()
                .addKeyValue("time", clock.instant().toString())
                .addKeyValue("subject", LogSafe.text(userKey))
                .addKeyValue("outcome", everywhere ? "evicted" : "incomplete")
                .log(AUDIT_MESSAGE);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("issuer", issuer);
        body.put("subject", subject);
        if (everywhere) {
            body.put("evicted", evicted);
            return new WebEndpointResponse<>(body, WebEndpointResponse.STATUS_OK);
        }
        body.put("error", "the shared session store could not be reached: other replicas may still serve this user; repeat the eviction");
        return new WebEndpointResponse<>(body, WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE);
    }
}
