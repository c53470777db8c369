package io.sfgateway.tokenexchange.apiusage;

/**
 * Reads the {@code api-usage=<used>/<limit>} part of Salesforce's {@code Sforce-Limit-Info}
 * answer header, e.g. {@code api-usage=10018/100000} or
 * {@code api-usage=18/5000, per-app-api-usage=17/250(appName=sample-app)}.
 *
 * <p>Parts are comma-separated {@code name=value} pairs; every part but {@code api-usage} is
 * ignored, whatever it holds. A header whose {@code api-usage} part is missing or is not two
 * decimal numbers with a positive limit is {@link #MALFORMED}. Hand-written rather than a regular
 * expression or a split: it runs on every answer, and scanning the characters in place allocates
 * nothing but the result.
 */
public final class SforceLimitInfo {

    /** The header's name. */
    public static final String HEADER = "Sforce-Limit-Info";

    /** The answer to a header this class cannot read. */
    public static final Reading MALFORMED = new Reading(-1, -1);

    private static final String API_USAGE = "api-usage";
    /** More digits than this could overflow a long; no org has such figures. */
    private static final int MAX_DIGITS = 18;

    private SforceLimitInfo() {
    }

    /**
     * The org's API requests used and allowed.
     *
     * @param used requests spent in the current 24-hour window (may exceed {@code limit})
     * @param limit the org's allocation, positive
     */
    public record Reading(long used, long limit) {

        /** {@code used / limit}, e.g. 0.8 at 80 %. */
        public double share() {
            return (double) used / limit;
        }
    }

    /** The reading of {@code header}, or {@link #MALFORMED}. */
    public static Reading parse(String header) {
        int length = header.length();
        int start = 0;
        while (start < length) {
            int end = header.indexOf(',', start);
            if (end < 0) {
                end = length;
            }
            int nameStart = skipSpaces(header, start, end);
            if (header.regionMatches(true, nameStart, API_USAGE, 0, API_USAGE.length())) {
                int equals = skipSpaces(header, nameStart + API_USAGE.length(), end);
                if (equals < end && header.charAt(equals) == '=') {
                    return usage(header, equals + 1, end);
                }
            }
            start = end + 1;
        }
        return MALFORMED;
    }

    /** {@code <used>/<limit>} between {@code from} and {@code to}, spaces around allowed. */
    private static Reading usage(String header, int from, int to) {
        int usedStart = skipSpaces(header, from, to);
        int usedEnd = digitsEnd(header, usedStart, to);
        int slash = skipSpaces(header, usedEnd, to);
        if (usedEnd == usedStart || slash >= to || header.charAt(slash) != '/') {
            return MALFORMED;
        }
        int limitStart = skipSpaces(header, slash + 1, to);
        int limitEnd = digitsEnd(header, limitStart, to);
        if (limitEnd == limitStart || skipSpaces(header, limitEnd, to) != to
                || usedEnd - usedStart > MAX_DIGITS || limitEnd - limitStart > MAX_DIGITS) {
            return MALFORMED;
        }
        long limit = number(header, limitStart, limitEnd);
        return limit > 0 ? new Reading(number(header, usedStart, usedEnd), limit) : MALFORMED;
    }

    private static int skipSpaces(String text, int from, int to) {
        int i = from;
        while (i < to && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static int digitsEnd(String text, int from, int to) {
        int i = from;
        while (i < to && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    private static long number(String text, int from, int to) {
        long value = 0;
        for (int i = from; i < to; i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
    }
}
