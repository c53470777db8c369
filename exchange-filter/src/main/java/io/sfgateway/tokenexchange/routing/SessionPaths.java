package io.sfgateway.tokenexchange.routing;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Which request paths may carry a Salesforce session: a session is a login, so it only goes to
 * Salesforce's API surface.
 * <ul>
 *   <li>A path with a dot segment ({@code .} or {@code ..}) in any encoding is refused: literal,
 *       percent-encoded in either case ({@code %2e}, {@code %2E.}), encoded more than once
 *       ({@code %252e}), split by an encoded or literal separator ({@code ..%2f}, {@code ..\},
 *       {@code ..%5c}) or hidden behind path parameters ({@code ..;x}). So are malformed or
 *       overlong encodings, control characters, and paths still encoded after
 *       {@value #MAX_DECODING_ROUNDS} rounds of decoding: whatever server sits behind Salesforce's
 *       edge cannot be made to walk out of the prefix the gateway checked.</li>
 *   <li>Otherwise the raw path, exactly as it goes to Salesforce, must begin with one of the
 *       configured prefixes (compared as given, case-sensitively: a path spelled any other way
 *       gets no session).</li>
 * </ul>
 * Written by hand rather than with a URI library: those normalise or decode once, and the point
 * here is to refuse what any decoder along the way could turn into a dot segment.
 */
public final class SessionPaths {

    /** How a path is judged. */
    public enum Verdict {
        /** Under a session prefix, no dot segment: the session may be attached. */
        ALLOWED,
        /** A dot segment, in any encoding, or an encoding that cannot be judged: 400. */
        DOT_SEGMENTS,
        /** Outside every session prefix: the session never goes there. */
        OUTSIDE
    }

    static final int MAX_DECODING_ROUNDS = 3;

    private final List<String> prefixes;

    public SessionPaths(List<String> prefixes) {
        this.prefixes = List.copyOf(prefixes);
    }

    public List<String> prefixes() {
        return prefixes;
    }

    /** Judges the raw (still percent-encoded) path that would be sent to Salesforce. */
    public Verdict judge(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return Verdict.OUTSIDE;
        }
        if (hasDotSegments(rawPath)) {
            return Verdict.DOT_SEGMENTS;
        }
        for (int i = 0; i < prefixes.size(); i++) {
            if (rawPath.startsWith(prefixes.get(i))) {
                return Verdict.ALLOWED;
            }
        }
        return Verdict.OUTSIDE;
    }

    /**
     * Whether {@code rawPath} holds a dot segment once decoded any number of times, or cannot be
     * judged (malformed or overlong encoding, control character, too many encoding layers).
     */
    public static boolean hasDotSegments(String rawPath) {
        String path = rawPath;
        for (int round = 0; ; round++) {
            if (hasLiteralDotSegment(path)) {
                return true;
            }
            if (path.indexOf('%') < 0) {
                return false;
            }
            if (round == MAX_DECODING_ROUNDS) {
                return true; // still encoded: refuse rather than guess what the next decoder makes of it
            }
            String decoded = decode(path, round == 0);
            if (decoded == null) {
                return true;
            }
            if (decoded.equals(path)) {
                return false; // only literal '%' left
            }
            path = decoded;
        }
    }

    /** Segments split on {@code /} and {@code \}, path parameters ({@code ;...}) dropped. */
    private static boolean hasLiteralDotSegment(String path) {
        int start = 0;
        int length = path.length();
        for (int i = 0; i <= length; i++) {
            char c = i < length ? path.charAt(i) : '/';
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
            if (c == '/' || c == '\\') {
                if (isDotSegment(path, start, i)) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }

    /**
     * Whether {@code path[start, end)}, less any {@code ;...} parameters, is {@code .} or
     * {@code ..}: a dot segment is one or two dots followed by the segment's end or a {@code ;}.
     * Looks at no more than three characters of the segment (it runs for every segment of every
     * request).
     */
    private static boolean isDotSegment(String path, int start, int end) {
        if (start >= end || path.charAt(start) != '.') {
            return false;
        }
        int next = start + 1;
        if (next < end && path.charAt(next) == '.') {
            next++;
        }
        return next == end || path.charAt(next) == ';';
    }

    /**
     * One round of percent-decoding as strict UTF-8, or {@code null} when the bytes are not valid
     * UTF-8 (overlong forms of {@code .} and {@code /} included). A {@code %} not followed by two
     * hex digits is malformed in the path as sent ({@code strict}), and a literal character after
     * the first round.
     */
    private static String decode(String path, boolean strict) {
        ByteBuffer bytes = ByteBuffer.allocate(path.length() * 4);
        for (int i = 0; i < path.length(); ) {
            int c = path.codePointAt(i);
            if (c == '%' && i + 2 < path.length() && hex(path.charAt(i + 1)) >= 0 && hex(path.charAt(i + 2)) >= 0) {
                bytes.put((byte) (hex(path.charAt(i + 1)) * 16 + hex(path.charAt(i + 2))));
                i += 3;
            } else if (c == '%' && strict) {
                return null;
            } else {
                bytes.put(new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(c);
            }
        }
        bytes.flip();
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException malformed) {
            return null;
        }
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }
}
