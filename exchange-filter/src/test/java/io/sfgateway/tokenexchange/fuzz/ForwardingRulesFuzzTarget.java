package io.sfgateway.tokenexchange.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.sfgateway.tokenexchange.routing.CallerHeaders;
import io.sfgateway.tokenexchange.routing.ForwardingPolicy;
import io.sfgateway.tokenexchange.routing.SessionPaths;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpHeaders;

/**
 * The fuzz target of the forwarding rules (issue 11). Properties checked on every input:
 * <ul>
 *   <li><b>path</b>: {@link SessionPaths} never fails, and a path it allows stays under its prefix
 *       however it is read: decoded zero to four times (leniently, {@code +} kept), with
 *       {@code \} as a separator and {@code ;} parameters dropped, then normalised. The
 *       normaliser here is written independently of the rule it checks;</li>
 *   <li><b>Connection</b>: whatever the caller's {@code Connection} header names, the request
 *       leaves with exactly the gateway's {@code Authorization} and no {@code Connection};</li>
 *   <li><b>query</b>: no parameter left after stripping decodes (any number of times) to
 *       {@code access_token}, and the parameters kept are the caller's, in order.</li>
 * </ul>
 */
public final class ForwardingRulesFuzzTarget {

    private static final List<String> PREFIXES = List.of("/services/data/", "/services/apexrest/",
            "/services/async/", "/services/Soap/");
    private static final SessionPaths PATHS = new SessionPaths(PREFIXES);
    private static final ForwardingPolicy POLICY = ForwardingPolicy.defaults();
    private static final String SALESFORCE_TOKEN = "00Dfuzz!session";

    private ForwardingRulesFuzzTarget() {
    }

    /** Jazzer's entry point for its own driver. */
    public static void fuzzerTestOneInput(FuzzedDataProvider data) {
        String prefix = PREFIXES.get(data.consumeInt(0, PREFIXES.size() - 1));
        checkPath(data.consumeBoolean() ? prefix + data.consumeString(200) : data.consumeString(200));
        checkConnection(data.consumeString(200));
        checkQuery(data.consumeRemainingAsString());
    }

    static void checkPath(String path) {
        SessionPaths.Verdict verdict = PATHS.judge(path);
        if (verdict != SessionPaths.Verdict.ALLOWED) {
            return;
        }
        String prefix = PREFIXES.stream().filter(path::startsWith).findFirst()
                .orElseThrow(() -> new AssertionError("allowed outside every prefix: " + path));
        String read = path;
        for (int round = 0; round <= 4; round++) {
            String normalised = normalise(read);
            if (normalised == null || !(normalised + "/").startsWith(prefix)) {
                throw new AssertionError("allowed " + path + ", which decoded " + round + " times reads " + normalised);
            }
            read = lenientDecode(read);
        }
    }

    static void checkConnection(String connection) {
        HttpHeaders headers = new HttpHeaders();
        headers.add(HttpHeaders.AUTHORIZATION, "Bearer caller-idp-token");
        try {
            headers.add(HttpHeaders.CONNECTION, connection);
        } catch (IllegalArgumentException notAHeaderValue) {
            return;
        }
        CallerHeaders.honourConnection(headers);
        POLICY.stripRequestHeaders(headers);
        headers.setBearerAuth(SALESFORCE_TOKEN);
        if (headers.containsHeader(HttpHeaders.CONNECTION)) {
            throw new AssertionError("Connection left: " + connection);
        }
        List<String> authorization = headers.get(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.equals(List.of("Bearer " + SALESFORCE_TOKEN))) {
            throw new AssertionError("Authorization is " + authorization + " after Connection: " + connection);
        }
    }

    static void checkQuery(String query) {
        String stripped = POLICY.stripQuery(query);
        if (stripped == null) {
            return;
        }
        for (String pair : stripped.split("&", -1)) {
            String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
            for (int round = 0; round <= 4; round++) {
                if (name.replace('+', ' ').trim().toLowerCase(Locale.ROOT).equals("access_token")) {
                    throw new AssertionError("access_token left in " + stripped + " from " + query);
                }
                name = lenientDecode(name.replace('+', ' '));
            }
        }
        if (!(query.contains(stripped) || isSubsequence(stripped.split("&"), query.split("&")))) {
            throw new AssertionError("kept parameters that were not the caller's: " + stripped);
        }
    }

    /** Resolves {@code .} and {@code ..}; {@code null} when {@code ..} climbs above the root. */
    private static String normalise(String path) {
        Deque<String> kept = new ArrayDeque<>();
        for (String segment : path.split("[/\\\\]", -1)) {
            int semicolon = segment.indexOf(';');
            String name = semicolon >= 0 ? segment.substring(0, semicolon) : segment;
            if (name.equals("..")) {
                if (kept.size() <= 1) {
                    return null;
                }
                kept.removeLast();
            } else if (!name.equals(".")) {
                kept.addLast(segment);
            }
        }
        return String.join("/", kept);
    }

    /** Percent-decodes what decodes, bytes as ISO-8859-1 and as UTF-8 alike; leaves the rest. */
    private static String lenientDecode(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%' && i + 2 < text.length() && isHex(text.charAt(i + 1)) && isHex(text.charAt(i + 2))) {
                bytes.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isSubsequence(String[] kept, String[] all) {
        int at = 0;
        for (String pair : kept) {
            while (at < all.length && !all[at].equals(pair)) {
                at++;
            }
            if (at++ >= all.length) {
                return false;
            }
        }
        return true;
    }
}
