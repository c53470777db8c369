package io.sfgateway.gateway.demo;

import io.sfgateway.emulator.SalesforceEmulator;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * The demo profile's beans: stops the emulated org with the application and, once the gateway
 * listens, prints ready-to-paste {@code curl} commands with freshly minted IdP tokens for the
 * two demo users.
 */
@Configuration(proxyBeanMethods = false)
@Profile(DemoEnvironment.PROFILE)
class DemoConfiguration {

    @Bean(destroyMethod = "close")
    AutoCloseable demoOrgShutdown() {
        return DemoOrg::stop;
    }

    @Bean
    ApplicationListener<WebServerInitializedEvent> demoCurlPrinter() {
        return event -> {
            SalesforceEmulator org = DemoOrg.running();
            if (org == null || event.getApplicationContext().getServerNamespace() != null) {
                return; // the management server, or no demo org
            }
            String gateway = "http://localhost:" + event.getWebServer().getPort();
            StringBuilder out = new StringBuilder("\n=== Salesforce token-exchange gateway demo ===\n")
                    .append("Gateway ").append(gateway).append(" -> emulated Salesforce org ").append(org.baseUrl())
                    .append(", IdP ").append(org.idp().issuer()).append('\n');
            for (String user : new String[] {"alice", "bob"}) {
                String token = org.idp().mintToken(user, DemoOrg.AUDIENCE);
                out.append("\n# ").append(user).append(": accounts, through the gateway (IdP token valid 1 h)\n")
                        .append("curl -s -H 'Authorization: Bearer ").append(token).append("' '").append(gateway)
                        .append("/services/data/v62.0/query?q=SELECT+Id,Name+FROM+Account'\n");
            }
            out.append('\n');
            // Deliberately stdout, not a logger: this demo-only line carries a demo IdP token, and no log line may.
            System.out.print(out);
            System.out.flush();
        };
    }
}
