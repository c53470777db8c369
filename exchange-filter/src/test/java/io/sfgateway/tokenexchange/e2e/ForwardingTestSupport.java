package io.sfgateway.tokenexchange.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The rig of the forwarding-side tests (issue 11): {@link GatewayTestSupport}'s gateway and orgs
 * plus two routes, in a context of their own.
 * <ul>
 *   <li>{@code wire} ({@code /wire/services/**}): an opaque-token registration whose token
 *       endpoint and Salesforce instance are both {@link #STUB} (WireMock), for Salesforce answers
 *       the emulator does not give, such as an Apex REST resource's own 401;</li>
 *   <li>{@code broad} ({@code /broad/**}): the {@code acme} registration behind a route that
 *       matches any path, to show the session paths hold whatever the route says.</li>
 * </ul>
 * The replay budget is {@value #REPLAY_BUDGET_KB} KB here, so two bodies of 200 KB cannot both be
 * kept for a replay, and a subject's session may be replaced on Salesforce's word once every
 * {@link #MIN_RENEWAL_INTERVAL}.
 */
abstract class ForwardingTestSupport extends GatewayTestSupport {

    static final int REPLAY_BUDGET_KB = 300;
    static final java.time.Duration MIN_RENEWAL_INTERVAL = java.time.Duration.ofSeconds(3);
    static final String TOKEN_PATH = "/services/oauth2/token";

    @DynamicPropertySource
    static void forwardingRoutes(DynamicPropertyRegistry properties) {
        String routes = "spring.cloud.gateway.server.webflux.routes";
        addRoute(properties, routes + "[7].", "wire", "/wire/services/**", STUB::baseUrl, "wire");
        addRoute(properties, routes + "[8].", "broad", "/broad/**", ORG::baseUrl, "acme");
        String key = "salesforce.token-exchange.registrations.wire.";
        properties.add(key + "login-url", STUB::baseUrl);
        properties.add(key + "client-id", () -> CLIENT_ID);
        properties.add(key + "instance-url-allowlist", STUB::baseUrl);
        properties.add(key + "subject.validate", () -> "false");
        properties.add("salesforce.token-exchange.replay-budget", () -> REPLAY_BUDGET_KB + "KB");
        properties.add("salesforce.token-exchange.min-renewal-interval", () -> MIN_RENEWAL_INTERVAL.toMillis() + "ms");
    }

    private static void addRoute(DynamicPropertyRegistry properties, String route, String id, String path,
            java.util.function.Supplier<Object> uri, String registration) {
        properties.add(route + "id", () -> id);
        properties.add(route + "uri", uri);
        properties.add(route + "predicates[0]", () -> "Path=" + path);
        properties.add(route + "filters[0]", () -> "StripPrefix=1");
        properties.add(route + "filters[1]", () -> "SalesforceTokenExchange=" + registration);
    }

    /** Makes {@link #STUB}'s token endpoint issue sessions on itself; returns nothing to remember but the tokens. */
    static void stubTokenEndpoint() {
        String accessToken = "00DWIRE0000000001!" + UUID.randomUUID().toString().replace("-", "");
        SECRETS.add(accessToken);
        STUB.stubFor(post(urlEqualTo(TOKEN_PATH)).willReturn(okJson("{\"access_token\":\"" + accessToken
                + "\",\"instance_url\":\"" + STUB.baseUrl() + "\",\"token_type\":\"Bearer\",\"scope\":\"api\","
                + "\"id\":\"https://login.salesforce.com/id/00D000000000001AAA/005000000000001AAA\","
                + "\"issued_at\":\"" + System.currentTimeMillis() + "\"}")));
    }

    static int exchangesAtStub() {
        return STUB.findAll(postRequestedFor(urlEqualTo(TOKEN_PATH))).size();
    }

    /** A fresh opaque caller token for the {@code wire} registration, remembered for the log scan. */
    static String opaqueToken(String name) {
        return remember(OPAQUE_PREFIX + uniqueSubject(name));
    }

    /**
     * Sends {@code head} (request line and headers, without the blank line) on a raw socket, so
     * nothing cleans it up, and returns the status line of the answer.
     */
    String rawStatusLine(String head) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write((head + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return readLine(socket.getInputStream());
        }
    }

    private static String readLine(InputStream in) throws Exception {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
