package io.sfgateway.gateway;

import io.sfgateway.tokenexchange.check.CheckReport;
import io.sfgateway.tokenexchange.check.SalesforceCheck;
import io.sfgateway.tokenexchange.check.SalesforceChecks;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code java -jar gateway-app.jar --salesforce-check=<registration>}: loads the registrations as
 * the gateway does (the same YAML and variables) with no port open, checks the registration
 * against its org with the IdP token of {@code SF_CHECK_TOKEN} (or the first line of standard
 * input), prints the report and answers 0 when everything passed, 1 otherwise. Spring Boot's
 * command-line properties are enough for one flag; a command-line parser would add nothing.
 */
final class SalesforceCheckCommand {

    static final String FLAG = "--salesforce-check=";
    static final String TOKEN_VARIABLE = "SF_CHECK_TOKEN";
    /** The exchange and two REST calls, each under the client's own timeouts: a bound, not a wait. */
    private static final Duration LIMIT = Duration.ofSeconds(60);

    private SalesforceCheckCommand() {
    }

    /** The registration named by {@code --salesforce-check=}, if the flag is given. */
    static Optional<String> registration(String[] args) {
        return Arrays.stream(args).filter(arg -> arg.startsWith(FLAG)).map(arg -> arg.substring(FLAG.length()))
                .reduce((first, last) -> last);
    }

    /**
     * Runs the check on the calling thread (the main thread, which may block).
     *
     * @return the process's exit status: 0 when every finding passed, 1 otherwise
     */
    static int run(String[] args, Map<String, String> environment, InputStream stdin, PrintStream out) {
        String registration = registration(args).orElseThrow();
        String token = token(environment, stdin);
        if (token.isEmpty()) {
            out.println("FAIL  no IdP token: set " + TOKEN_VARIABLE + " or give the token on standard input");
            return 1;
        }
        SpringApplication application = new SpringApplication(GatewayApplication.class);
        application.setBannerMode(Banner.Mode.OFF);
        application.setWebApplicationType(WebApplicationType.NONE);
        List<String> arguments = new ArrayList<>(List.of(args));
        // The report is the output: only errors (such as a configuration that does not load) are logged.
        arguments.add("--logging.level.root=ERROR");
        // No routes are served: the registrations are loaded without Spring Cloud Gateway's server.
        arguments.add("--spring.cloud.gateway.server.webflux.enabled=false");
        try (ConfigurableApplicationContext context = application.run(arguments.toArray(String[]::new))) {
            SalesforceChecks checks = context.getBean(SalesforceChecks.class);
            Optional<SalesforceCheck> check = checks.find(registration);
            if (check.isEmpty()) {
                out.println("FAIL  no registration '" + registration + "': the configured ones are " + new TreeSet<>(checks.names()));
                return 1;
            }
            CheckReport report = check.get().run(token).block(LIMIT);
            report.lines().forEach(out::println);
            return report.passed() ? 0 : 1;
        } catch (RuntimeException startUp) {
            out.println("FAIL  the gateway's configuration did not load (the log above says why)");
            return 1;
        }
    }

    private static String token(Map<String, String> environment, InputStream stdin) {
        String fromEnvironment = environment.get(TOKEN_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment.strip();
        }
        try {
            String line = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)).readLine();
            return line == null ? "" : line.strip();
        } catch (IOException e) {
            return "";
        }
    }
}
