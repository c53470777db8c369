package io.sfgateway.tokenexchange.exchange;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a session's {@code instance_url} (or Experience Cloud {@code sfdc_site_url}) may point.
 * A pattern is {@code scheme://host[:port][/site/prefix]}; a host beginning with {@code *.}
 * matches one or more labels in front of the rest. No port means the scheme's default port.
 * A pattern without a path matches bare origins only; a pattern with a path (an Experience
 * Cloud site's prefix) matches that exact path only.
 *
 * <p>A URL must be exactly an origin, or an origin and a plain path of unreserved characters
 * (no dot segments, no encoding), with no user info, query or fragment; a trailing {@code /}
 * is ignored. Anything else is refused, so tricks such as
 * {@code https://acme.my.salesforce.com.evil.com}, {@code https://evil@acme.my.salesforce.com}
 * or {@code https://acme.my.site.com/partners/..} never match.
 */
public final class InstanceUrlAllowlist {

    private static final Pattern SITE_PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+");

    private final List<Origin> patterns;

    private InstanceUrlAllowlist(List<Origin> patterns) {
        this.patterns = patterns;
    }

    /**
     * Parses the patterns.
     *
     * @throws IllegalArgumentException naming the first malformed pattern
     */
    public static InstanceUrlAllowlist of(List<String> patterns) {
        return new InstanceUrlAllowlist(patterns.stream().map(InstanceUrlAllowlist::parsePattern).toList());
    }

    /** Whether {@code instanceUrl} is an origin (and site path) that one of the patterns allows. */
    public boolean allows(URI instanceUrl) {
        Origin origin = originOf(instanceUrl);
        if (origin == null) {
            return false;
        }
        for (Origin pattern : patterns) {
            if (pattern.scheme.equals(origin.scheme) && pattern.port == origin.port && pattern.path.equals(origin.path)
                    && hostMatches(pattern.host, origin.host)) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return patterns.isEmpty();
    }

    private static boolean hostMatches(String pattern, String host) {
        if (pattern.startsWith("*.")) {
            String suffix = pattern.substring(1); // ".my.salesforce.com"
            return host.length() > suffix.length() && host.endsWith(suffix) && host.charAt(0) != '.';
        }
        return pattern.equals(host);
    }

    private static Origin parsePattern(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException("empty instance-url-allowlist pattern");
        }
        String trimmed = pattern.strip();
        String probe = trimmed.replace("://*.", "://wildcard-label.");
        Origin origin;
        try {
            origin = originOf(URI.create(probe));
        } catch (IllegalArgumentException e) {
            origin = null;
        }
        if (origin == null || origin.host.endsWith(".") || trimmed.indexOf('*') != trimmed.lastIndexOf('*')
                || (trimmed.contains("*") && !trimmed.contains("://*."))) {
            throw new IllegalArgumentException("malformed instance-url-allowlist pattern '" + trimmed
                    + "': expected scheme://host[:port][/site-prefix], where host may begin with '*.'");
        }
        String host = origin.host.startsWith("wildcard-label.") ? "*" + origin.host.substring("wildcard-label".length()) : origin.host;
        return new Origin(origin.scheme, host, origin.port, origin.path);
    }

    /** The origin and site path of {@code url}, or {@code null} when it is not a plain http(s) URL. */
    private static Origin originOf(URI url) {
        if (url == null || !url.isAbsolute() || url.isOpaque()) {
            return null;
        }
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return null;
        }
        String path = sitePath(url.getRawPath());
        if (url.getRawUserInfo() != null || url.getRawQuery() != null || url.getRawFragment() != null || path == null) {
            return null;
        }
        String host = url.getHost();
        if (host == null || host.isEmpty()) {
            return null; // also covers authorities java.net.URI could not parse as server-based
        }
        int port = url.getPort() != -1 ? url.getPort() : (scheme.equals("https") ? 443 : 80);
        return new Origin(scheme, host.toLowerCase(Locale.ROOT), port, path);
    }

    /**
     * {@code ""} for no path or {@code /}; the path without its trailing {@code /} when every
     * segment is plain (letters, digits, {@code -._~}, not a dot segment); else {@code null}.
     */
    private static String sitePath(String rawPath) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.equals("/")) {
            return "";
        }
        String path = rawPath.endsWith("/") ? rawPath.substring(0, rawPath.length() - 1) : rawPath;
        if (!SITE_PATH.matcher(path).matches()) {
            return null;
        }
        for (String segment : path.substring(1).split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                return null;
            }
        }
        return path;
    }

    /** {@code path} is {@code ""} for a bare origin, else an Experience Cloud site prefix such as {@code /partners}. */
    private record Origin(String scheme, String host, int port, String path) {
    }
}
