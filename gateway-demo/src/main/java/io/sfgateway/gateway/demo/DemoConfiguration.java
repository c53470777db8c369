package io.sfgateway.gateway.demo;

import io.sfgateway.emulator.SalesforceEmulator;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.env.Environment;

/**
 * The demo profile's beans: stops the emulated org with the application and, once the gateway is
 * ready, prints ready-to-paste {@code curl} commands with freshly minted IdP tokens for the two demo
 * users, and what to do next (a fresh token, which user a caller became, a write, other ports, health,
 * metrics, how to stop).
 */
@Configuration(proxyBeanMethods = false)
@Profile(DemoEnvironment.PROFILE)
class DemoConfiguration {

    /** An API version the emulated org lists at {@code /services/data/}. */
    private static final String API = "/services/data/v63.0";
    private static final String WHOAMI = "/services/apexrest/whoami";
    private static final String NEW_ACCOUNT = "{\"Name\":\"Created through the gateway\"}";
    private static final String QUERY = API + "/query?q=SELECT+Id,Name+FROM+Account";

    @Bean(destroyMethod = "close")
    AutoCloseable demoOrgShutdown() {
        return DemoOrg::stop;
    }

    @Bean
    ApplicationListener<ApplicationReadyEvent> demoCurlPrinter() {
        return event -> {
            SalesforceEmulator org = DemoOrg.running();
            if (org == null) {
                return;
            }
            Environment environment = event.getApplicationContext().getEnvironment();
            String gateway = "http://localhost:" + environment.getProperty("local.server.port");
            String management = environment.getProperty("local.management.port", environment.getProperty("local.server.port"));
            StringBuilder out = new StringBuilder("\n=== Salesforce token-exchange gateway demo ===\n")
                    .append("Gateway ").append(gateway).append(" -> emulated Salesforce org ").append(org.baseUrl())
                    .append(", IdP ").append(org.idp().issuer()).append('\n');
            for (String user : new String[] {"alice", "bob"}) {
                String token = org.idp().mintToken(user, DemoOrg.AUDIENCE);
                out.append("\n# ").append(user).append(": accounts, through the gateway (IdP token valid 1 h)\n")
                        .append("curl -s -H 'Authorization: Bearer ").append(token).append("' '").append(gateway)
                        .append(QUERY).append("'\n");
            }
            String mint = org.baseUrl() + "/__admin/idp/token?sub=alice&aud=" + DemoOrg.AUDIENCE;
            out.append("\n# What next\n")
                    .append("# - The tokens above expire after 1 hour. The emulated org's admin port mints a fresh IdP token\n")
                    .append("#   for the demo IdP; this one is alice's (for bob's, change sub=alice to sub=bob):\n")
                    .append("TOKEN=$(curl -s '").append(mint).append("')\n")
                    .append("curl -s -H \"Authorization: Bearer $TOKEN\" '").append(gateway).append(QUERY).append("'\n")
                    .append("# - Which Salesforce user the caller became (the org's Apex REST echo names it; bob is 005000000000002AAA):\n")
                    .append("curl -s -H \"Authorization: Bearer $TOKEN\" '").append(gateway).append(WHOAMI).append("'\n")
                    .append("# - A write, as that user (201 and the new record's id):\n")
                    .append("curl -s -X POST -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' -d '")
                    .append(NEW_ACCOUNT).append("' '").append(gateway).append(API).append("/sobjects/Account'\n")
                    .append("# - Health and metrics are on the management port, not the traffic port:\n")
                    .append("#     curl -s http://localhost:").append(management).append("/actuator/health\n")
                    .append("#     curl -s http://localhost:").append(management).append("/actuator/prometheus")
                    .append(" | grep -E '^(salesforce_|cache_gets)'\n")
                    .append("# - Other ports (8080 or 8081 taken): add --server.port=9090 --management.server.port=9091\n")
                    .append("#   to the java -jar command (or set PORT and MANAGEMENT_SERVER_PORT).\n")
                    .append("# - Stop the demo: Ctrl+C (the emulated org and IdP stop with it).\n\n");
            // Deliberately stdout, not a logger: this demo-only output carries demo IdP tokens, and no log line may.
            System.out.print(out);
            System.out.flush();
        };
    }
}
