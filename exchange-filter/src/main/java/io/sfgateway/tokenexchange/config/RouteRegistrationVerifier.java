package io.sfgateway.tokenexchange.config;

import io.sfgateway.tokenexchange.web.ExchangeRegistrations;
import java.util.List;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.filter.FilterDefinition;
import org.springframework.cloud.gateway.route.RouteDefinition;

/**
 * Stops start-up when a configured route names a registration that does not exist. Spring Cloud
 * Gateway builds routes lazily and only logs a failing one, so without this check a typo would
 * surface as a broken route at the first request.
 */
class RouteRegistrationVerifier implements SmartInitializingSingleton {

    static final String FILTER_NAME = "SalesforceTokenExchange";

    private final GatewayProperties gateway;
    private final ExchangeRegistrations registrations;

    RouteRegistrationVerifier(GatewayProperties gateway, ExchangeRegistrations registrations) {
        this.gateway = gateway;
        this.registrations = registrations;
    }

    @Override
    public void afterSingletonsInstantiated() {
        String routesKey = GatewayProperties.PREFIX + ".routes";
        List<RouteDefinition> routes = gateway.getRoutes();
        for (int r = 0; r < routes.size(); r++) {
            verify(routesKey + "[" + r + "].filters", routes.get(r).getFilters());
        }
        verify(GatewayProperties.PREFIX + ".default-filters", gateway.getDefaultFilters());
    }

    private void verify(String key, List<FilterDefinition> filters) {
        for (int f = 0; f < filters.size(); f++) {
            FilterDefinition filter = filters.get(f);
            if (!FILTER_NAME.equals(filter.getName())) {
                continue;
            }
            String name = filter.getArgs().containsKey("registration") ? filter.getArgs().get("registration")
                    : filter.getArgs().values().stream().findFirst().orElse(null);
            if (registrations.find(name).isEmpty()) {
                throw new InvalidConfigurationException(key + "[" + f + "]", FILTER_NAME + " names registration '" + name
                        + "', which is not configured under salesforce.token-exchange.registrations (configured: "
                        + registrations.names() + ")");
            }
        }
    }
}
