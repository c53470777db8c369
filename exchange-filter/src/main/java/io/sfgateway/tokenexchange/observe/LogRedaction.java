package io.sfgateway.tokenexchange.observe;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Masks what looks like a credential in text bound for a log: JWTs (JWS and JWE), the value after
 * {@code Bearer}, Salesforce session ids ({@code 00D…!…}), and the values of OAuth form or JSON
 * fields that carry tokens or secrets. A second line of defence: the code never logs them in the
 * first place.
 */
public final class LogRedaction {

    public static final String MASK = "[REDACTED]";

    private static final Pattern JWT = Pattern.compile("\\beyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]*){1,3}");
    /** After {@code Bearer}, everything up to a delimiter: a credential need not be a well-formed b64token. */
    private static final Pattern BEARER = Pattern.compile("(?i)(\\bbearer\\s+)(?!\\[REDACTED])[^\\s\"'&,;}\\]]+");
    /** {@code <org id>!<secret part>}, the secret part up to a delimiter, whatever characters it uses. */
    private static final Pattern SESSION_ID = Pattern.compile("\\b00D[A-Za-z0-9]{12,15}![^\\s\"'&,;}\\]]{4,}");
    private static final Pattern FIELD = Pattern.compile(
            "(?i)\\b(access_token|refresh_token|id_token|subject_token|actor_token|client_secret|sessionid|sid)"
                    + "(\"?\\s*[:=]\\s*\"?)[^\\s\"&,;}]+");

    private LogRedaction() {
    }

    public static String redact(String text) {
        if (text == null || text.isEmpty() || !mayHoldSecret(text)) {
            return text;
        }
        String masked = JWT.matcher(text).replaceAll(MASK);
        masked = SESSION_ID.matcher(masked).replaceAll(MASK);
        masked = BEARER.matcher(masked).replaceAll("$1" + MASK);
        return FIELD.matcher(masked).replaceAll("$1$2" + MASK);
    }

    /** A cheap pre-check so ordinary lines skip the regular expressions: one lower-casing, then plain searches. */
    private static boolean mayHoldSecret(String text) {
        if (text.contains("eyJ") || text.indexOf('!') >= 0) {
            return true;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        return lower.contains("_token") || lower.contains("secret") || lower.contains("bearer") || lower.contains("sid");
    }
}
