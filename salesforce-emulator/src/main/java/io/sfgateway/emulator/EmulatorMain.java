package io.sfgateway.emulator;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;

/**
 * Runs the emulator as a process (the demo, load tests):
 * {@code java -jar salesforce-emulator-<version>-exec.jar [--port=8090] [--idp-port=8091]
 * [--auto-provision-users=true] [--client-id=demo-client] [--client-secret=demo-secret] [--session-timeout=7200]
 * [--org-id=…] [--audience=salesforce-gateway] [--host=127.0.0.1] [--instance-url=http://name:8090]}. An empty {@code --client-secret=} makes the app a public client.
 */
public final class EmulatorMain {

    private static final Set<String> OPTIONS = Set.of("port", "idp-port", "auto-provision-users", "client-id",
            "client-secret", "session-timeout", "org-id", "audience", "host", "instance-url");

    private EmulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (System.getProperty("logback.configurationFile") == null) {
            // A uniquely named file, so a Spring Boot app that has this jar on its class path never picks it up.
            System.setProperty("logback.configurationFile", "salesforce-emulator-logback.xml");
        }
        if (wantsHelp(args)) {
            System.out.println(USAGE);
            return;
        }
        EmulatorConfig config;
        try {
            config = config(options(args));
        } catch (IllegalArgumentException e) {
            System.err.println("salesforce-emulator: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        SalesforceEmulator emulator = SalesforceEmulator.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            emulator.close();
            stopped.countDown();
        }, "sf-emulator-shutdown"));
        // Obtained here, after logback.configurationFile is set above, so the emulator's own logging configuration
        // applies. (Usage errors above stay on stderr: the process exits at once, before an async appender flushes.)
        LoggerFactory.getLogger(EmulatorMain.class).info("salesforce-emulator ready: baseUrl=" + emulator.baseUrl()
                + " tokenEndpoint=" + emulator.tokenEndpoint()
                + " issuer=" + emulator.idp().issuer()
                + " jwksUri=" + emulator.idp().jwksUri()
                + " clientId=" + config.apps().get(0).clientId()
                + " audience=" + config.audience());
        // Deliberately stdout, not the log: the emulated app's secret is for pasting, and no log line may hold a secret.
        System.out.print(howToUse(emulator, config));
        System.out.flush();
        stopped.await();
    }

    static final String USAGE = """
            usage: java -jar salesforce-emulator-<version>-exec.jar [options]
              --port=N                     the org's port (default 8090; 0 = a free one)
              --idp-port=N                 the IdP's port (default port + 1)
              --auto-provision-users=BOOL  any subject gets a user (default true; false: alice and bob only)
              --client-id=ID               the External Client App's consumer key (default demo-client)
              --client-secret=SECRET       its secret (default demo-secret; empty = public client)
              --session-timeout=SECONDS    the org's session timeout (default 7200)
              --org-id=ID                  the org id (default 00D000000000001AAA)
              --audience=AUD               the audience the IdP's tokens carry (default salesforce-gateway)
              --host=ADDRESS               the address to bind (default 127.0.0.1)
              --instance-url=URL           the name clients use for the org, in the sessions it issues
              --help                       this text""";

    /** {@code --help} or {@code -h}: print the usage and exit 0, whatever else is given. */
    static boolean wantsHelp(String[] args) {
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                return true;
            }
        }
        return false;
    }

    /** What to paste next: the app's credentials and a command that mints an IdP token for alice. */
    static String howToUse(SalesforceEmulator emulator, EmulatorConfig config) {
        ConnectedApp app = config.apps().get(0);
        return "salesforce-emulator: app clientId=" + app.clientId() + " clientSecret="
                + (app.clientSecret() == null ? "(none: public client)" : app.clientSecret())
                + " issuer-uri=" + emulator.idp().issuer() + " (OIDC discovery at " + emulator.idp().discoveryUri() + ")\n"
                + "salesforce-emulator: mint an IdP token for alice (bob: sub=bob): curl -s '" + emulator.baseUrl()
                + "/__admin/idp/token?sub=alice&aud=" + config.audience() + "'\n";
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + arg);
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
            if (!OPTIONS.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name);
            }
            options.put(name, eq < 0 ? "true" : arg.substring(eq + 1));
        }
        return options;
    }

    static EmulatorConfig config(Map<String, String> options) {
        int port = integer(options.getOrDefault("port", "8090"), "port");
        String secret = options.getOrDefault("client-secret", "demo-secret");
        String clientId = options.getOrDefault("client-id", "demo-client");
        EmulatorConfig.Builder builder = EmulatorConfig.builder()
                .port(port)
                .idpPort(integer(options.getOrDefault("idp-port", Integer.toString(port == 0 ? 0 : port + 1)),
                        "idp-port"))
                .autoProvisionUsers(bool(options.getOrDefault("auto-provision-users", "true")))
                .app(secret.isEmpty() ? ConnectedApp.publicClient(clientId)
                        : ConnectedApp.confidential(clientId, secret));
        if (options.containsKey("session-timeout")) {
            builder.sessionTimeout(Duration.ofSeconds(integer(options.get("session-timeout"), "session-timeout")));
        }
        if (options.containsKey("org-id")) {
            builder.orgId(options.get("org-id"));
        }
        if (options.containsKey("audience")) {
            builder.audience(options.get("audience"));
        }
        if (options.containsKey("host")) {
            builder.host(options.get("host"));
        }
        if (options.containsKey("instance-url")) {
            builder.publicUrl(options.get("instance-url"));
        }
        return builder.build();
    }

    private static int integer(String value, String name) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number");
        }
    }

    private static boolean bool(String value) {
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException("--auto-provision-users must be true or false");
    }
}
