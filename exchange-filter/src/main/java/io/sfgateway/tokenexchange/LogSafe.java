package io.sfgateway.tokenexchange;

/**
 * Makes text that came from a request (or from any other party) safe to put in a log line:
 * control, format and line/paragraph separator characters are escaped ({@code \n}, {@code \r},
 * {@code \t}, {@code \}{@code uXXXX}), so one request can never start a forged line, and the
 * length is capped (escapes included), so one request can never write kilobytes.
 *
 * <p>Written here rather than taken from a library: the JSON encoders escape only for JSON, and
 * OWASP's encoder would add a dependency for these few lines. Escaping is idempotent (a backslash
 * is left as it is), so text may pass through it twice.
 */
public final class LogSafe {

    /** The most characters of outside text one log value holds. */
    public static final int MAX_LENGTH = 200;

    private LogSafe() {
    }

    /** {@code text} with unsafe characters escaped, cut at {@link #MAX_LENGTH}; {@code ""} for null. */
    public static String text(CharSequence text) {
        return text(text, MAX_LENGTH);
    }

    /** At most {@code maxLength} characters of output, escapes included, then how much was left out. */
    public static String text(CharSequence text, int maxLength) {
        if (text == null) {
            return "";
        }
        int length = text.length();
        if (length <= maxLength && isSafe(text)) {
            return text.toString(); // the common case: nothing to do
        }
        StringBuilder safe = new StringBuilder(Math.min(length, maxLength) + 24);
        int i = 0;
        for (; i < length && safe.length() < maxLength; i++) {
            char c = text.charAt(i);
            if (isUnsafe(c)) {
                escape(c, safe);
            } else {
                safe.append(c);
            }
        }
        if (i < length) {
            safe.append("...(").append(length - i).append(" more)");
        }
        return safe.toString();
    }

    private static boolean isSafe(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            if (isUnsafe(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static boolean isUnsafe(char c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.SURROGATE, Character.UNASSIGNED, Character.PRIVATE_USE -> true;
            default -> false;
        };
    }

    private static void escape(char c, StringBuilder out) {
        switch (c) {
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            default -> out.append(String.format("\\u%04x", (int) c));
        }
    }
}
