package io.sfgateway.tokenexchange.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfgateway.emulator.TokenFault;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Contract §4, Salesforce's rows: what the caller sees when the token endpoint refuses or fails. */
class SalesforceFailuresTest extends GatewayTestSupport {

    private static final String PATH = "/services/data/v62.0/limits";
    private static final String BAD_GATEWAY_BODY =
            "{\"error\":\"bad_gateway\",\"error_description\":\"Salesforce sign-in failed at the gateway.\"}";
    private static final String UNAVAILABLE_BODY =
            "{\"error\":\"temporarily_unavailable\",\"error_description\":\"Salesforce sign-in is temporarily unavailable; retry later.\"}";

    @Test
    void salesforceRefusingTheGatewayIs502() {
        ORG.controls().tokenFault(TokenFault.INVALID_CLIENT);
        callAsNewSubject().expectStatus().isEqualTo(502)
                .expectHeader().doesNotExist("WWW-Authenticate")
                .expectBody(String.class).isEqualTo(BAD_GATEWAY_BODY);
    }

    @Test
    void tokenEndpointErrorsAre503WithRetryAfter() {
        for (TokenFault fault : new TokenFault[] {TokenFault.SERVER_ERROR, TokenFault.UNAVAILABLE}) {
            ORG.controls().tokenFault(fault);
            callAsNewSubject().expectStatus().isEqualTo(503)
                    .expectHeader().exists("Retry-After")
                    .expectBody(String.class).isEqualTo(UNAVAILABLE_BODY);
        }
    }

    @Test
    void aSessionTheGatewayCannotTrustIs502() {
        for (TokenFault fault : new TokenFault[] {TokenFault.NON_JSON, TokenFault.WRONG_SIGNATURE, TokenFault.INSTANCE_URL_OUTSIDE}) {
            ORG.controls().tokenFault(fault);
            callAsNewSubject().expectStatus().isEqualTo(502).expectBody(String.class).isEqualTo(BAD_GATEWAY_BODY);
        }
    }

    @Test
    void anInstanceUrlOutsideTheAllowlistIsNeverCached() {
        String subject = uniqueSubject("elsewhere");
        String token = mint(subject);
        ORG.controls().instanceUrl("http://127.0.0.1:" + (ORG.port() == 1 ? 2 : 1));
        long before = ORG.counters().tokenRequests();
        get(PATH, token).expectStatus().isEqualTo(502);
        get(PATH, token).expectStatus().isEqualTo(502);
        assertThat(ORG.counters().tokenRequests()).as("each request exchanged again").isEqualTo(before + 2);

        ORG.controls().instanceUrl(null);
        get(PATH, token).expectStatus().isOk();
    }

    private WebTestClient.ResponseSpec callAsNewSubject() {
        return get(PATH, mint(uniqueSubject("failure")));
    }
}
