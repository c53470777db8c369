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
        EmulatorConfig config;
        try {
            config = config(options(args));
        } catch (IllegalArgumentException e) {
            System.err.println("salesforce-emulator: " + e.getMessage());
            System.err.println("options: --port=N --idp-port=N --auto-provision-users=true|false --client-id=ID"
                    + " --client-secret=SECRET (empty = public client) --session-timeout=SECONDS --org-id=ID"
                    + " --audience=AUD --host=ADDRESS (default 127.0.0.1) --instance-url=URL (the name clients use)");
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
        stopped.await();
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
