package io.sfgateway.tokenexchange.observe;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import org.springframework.cloud.gateway.filter.headers.observation.DefaultGatewayObservationConvention;
import org.springframework.cloud.gateway.filter.headers.observation.GatewayContext;

/**
 * Spring Cloud Gateway's observation of the forwarded call, with nothing in it that points at a
 * caller or a Salesforce instance. The gateway's default convention tags the span with the route's
 * URI (the org's My Domain, which is also the sessions' instance URL) and with the request's full URI,
 * query included (where a caller may have put {@code access_token}). Here:
 * <ul>
 *   <li>{@code spring.cloud.gateway.route.uri} is left out; {@code spring.cloud.gateway.route.id},
 *       {@code http.method} and {@code http.status_code} stay;</li>
 *   <li>{@code http.uri} is the path alone: no scheme, host or query.</li>
 * </ul>
 * The name is the one later gateway versions use, {@value #NAME}: with the gateway's default,
 * {@code http.client.requests}, the forwarded calls' timer and a {@code WebClient}'s (the JWKS
 * fetch) would share a name with different tags, which Prometheus refuses.
 */
public class ForwardObservationConvention extends DefaultGatewayObservationConvention {

    public static final String NAME = "spring.cloud.gateway.http.client.requests";
    static final String ROUTE_URI = "spring.cloud.gateway.route.uri";
    static final String URI = "http.uri";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(GatewayContext context) {
        KeyValues all = super.getLowCardinalityKeyValues(context);
        return KeyValues.of(all.stream().filter(keyValue -> !ROUTE_URI.equals(keyValue.getKey())).toList());
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(GatewayContext context) {
        if (context.getRequest() == null) {
            return KeyValues.empty();
        }
        String path = context.getRequest().getURI().getRawPath();
        return KeyValues.of(KeyValue.of(URI, path == null || path.isEmpty() ? "/" : path));
    }
}
