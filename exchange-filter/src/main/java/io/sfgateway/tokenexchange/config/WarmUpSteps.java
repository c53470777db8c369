package io.sfgateway.tokenexchange.config;

import io.sfgateway.tokenexchange.warmup.WarmUpStep;
import io.sfgateway.tokenexchange.web.ExchangeRegistrations;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * The library's own warm-up steps, in the order the ready line lists them:
 * <ul>
 *   <li>each registration's subject validation ready: the IdP's keys fetched (required);</li>
 *   <li>the token-endpoint client warmed, {@link HttpClient#warmup()}: event loops, DNS
 *       resolver, native transport (required);</li>
 *   <li>one pooled connection to each {@code https} token endpoint, so the first exchanges skip a
 *       TLS handshake (best effort: Salesforce's reachability is not the replica's readiness).</li>
 * </ul>
 */
final class WarmUpSteps {

    private WarmUpSteps() {
    }

    static List<WarmUpStep> of(TokenExchangeProperties properties, ExchangeRegistrations registrations,
            TokenEndpointClients clients) {
        List<WarmUpStep> steps = new ArrayList<>();
        for (String name : registrations.names()) {
            registrations.find(name).ifPresent(registration -> steps.add(WarmUpStep.required(
                    "subject validation of '" + name + "'", Mono.defer(() -> registration.subjects().ready()))));
        }
        HttpClient http = clients.http();
        steps.add(WarmUpStep.required("token-endpoint client", Mono.defer(http::warmup)));
        properties.getRegistrations().forEach((name, registration) -> {
            URI login = registration.getLoginUrl();
            if (login != null && "https".equals(login.getScheme().toLowerCase(Locale.ROOT)) && login.getHost() != null) {
                steps.add(WarmUpStep.bestEffort("connection to the token endpoint of '" + name + "'",
                        connection(http, login)));
            }
        });
        return steps;
    }

    /** A HEAD of the login host's root: no credentials, and the connection stays in the pool. */
    private static Mono<Integer> connection(HttpClient http, URI login) {
        String origin = login.getScheme() + "://" + login.getRawAuthority() + "/";
        return Mono.defer(() -> http.head().uri(origin)
                .responseSingle((response, body) -> body.then(Mono.just(response.status().code()))));
    }
}
