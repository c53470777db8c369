package io.sfgateway.tokenexchange.check;

import io.sfgateway.tokenexchange.check.CheckReport.Finding;
import io.sfgateway.tokenexchange.exchange.ExchangeSettings;
import io.sfgateway.tokenexchange.exchange.TokenExchanger;
import java.util.ArrayList;
import java.util.List;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Checks one registration against its org as an admin would by hand (docs/REAL-ORGS.md, "Checks
 * to run against a sandbox org"): one token exchange of an IdP token, straight to the token
 * endpoint (no session cache, nothing stored), then the REST host's answer to that session
 * ({@link RestProbe}). Non-blocking. The report names what Salesforce said and the fix for each
 * misconfiguration recognised; it never holds the IdP token, the session, the client secret or
 * the signature.
 */
public final class SalesforceCheck {

    private final TokenExchanger exchanger;
    private final RestProbe rest;

    /**
     * @param exchanger the registration's exchanger (its own instance: a check shares no state
     *     with the filter's)
     * @param restClient the client for the REST host (no redirects, with timeouts)
     */
    public SalesforceCheck(TokenExchanger exchanger, WebClient restClient) {
        this.exchanger = exchanger;
        this.rest = new RestProbe(restClient);
    }

    public Mono<CheckReport> run(String idpToken) {
        ExchangeSettings settings = exchanger.settings();
        return exchanger.inspect(idpToken).flatMap(inspected -> {
            List<Finding> findings = new ArrayList<>();
            ExchangeFindings.judge(inspected, settings, findings);
            Mono<List<Finding>> restFindings = inspected.session() == null ? Mono.just(List.of())
                    : rest.judge(inspected.session().instanceUrl(), inspected.session().accessToken());
            return restFindings.map(more -> {
                findings.addAll(more);
                return new CheckReport(settings.registration(), settings.client().tokenEndpoint().toString(), findings);
            });
        });
    }
}
