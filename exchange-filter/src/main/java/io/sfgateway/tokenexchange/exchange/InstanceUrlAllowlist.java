package io.sfgateway.tokenexchange.exchange;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Where a session's {@code instance_url} may point. A pattern is {@code scheme://host[:port]};
 * a host beginning with {@code *.} matches one or more labels in front of the rest. No port
 * means the scheme's default port.
 *
 * <p>An instance URL must be exactly an origin: scheme, host and optional port, with no user
 * info, query or fragment and at most a bare {@code /} as path. Anything else is refused, so
 * tricks such as {@code https://acme.my.salesforce.com.evil.com} or
 * {@code https://evil@acme.my.salesforce.com} never match.
 */
public final class InstanceUrlAllowlist {

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

    /** Whether {@code instanceUrl} is an origin that one of the patterns allows. */
    public boolean allows(URI instanceUrl) {
        Origin origin = originOf(instanceUrl);
        if (origin == null) {
            return false;
        }
        for (Origin pattern : patterns) {
            if (pattern.scheme.equals(origin.scheme) && pattern.port == origin.port && hostMatches(pattern.host, origin.host)) {
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
                    + "': expected scheme://host[:port], where host may begin with '*.'");
        }
        String host = origin.host.startsWith("wildcard-label.") ? "*" + origin.host.substring("wildcard-label".length()) : origin.host;
        return new Origin(origin.scheme, host, origin.port);
    }

    /** The origin of {@code url}, or {@code null} when it is not a bare http(s) origin. */
    private static Origin originOf(URI url) {
        if (url == null || !url.isAbsolute() || url.isOpaque()) {
            return null;
        }
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return null;
        }
        String path = url.getRawPath();
        if (url.getRawUserInfo() != null || url.getRawQuery() != null || url.getRawFragment() != null
                || (path != null && !path.isEmpty() && !path.equals("/"))) {
            return null;
        }
        String host = url.getHost();
        if (host == null || host.isEmpty()) {
            return null; // also covers authorities java.net.URI could not parse as server-based
        }
        int port = url.getPort() != -1 ? url.getPort() : (scheme.equals("https") ? 443 : 80);
        return new Origin(scheme, host.toLowerCase(Locale.ROOT), port);
    }

    private record Origin(String scheme, String host, int port) {
    }
}
