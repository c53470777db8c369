package io.sfgateway.tokenexchange.config;

import io.sfgateway.tokenexchange.exchange.InstanceUrlAllowlist;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up checks of the URLs a registration trusts, against what a real org requires
 * (docs/REAL-ORGS.md): plain {@code http} only on the loopback interface (the client secret and
 * subject tokens would otherwise cross the network in clear text), and a token endpoint on My
 * Domain or an Experience Cloud site, never the generic login hosts, which refuse token exchange.
 */
final class SalesforceUrls {

    private static final Logger log = LoggerFactory.getLogger(SalesforceUrls.class);
    private static final Set<String> GENERIC_LOGIN_HOSTS = Set.of("login.salesforce.com", "test.salesforce.com");

    private SalesforceUrls() {
    }

    /**
     * {@code https}, or {@code http} to a loopback host (127.0.0.0/8, ::1, localhost) or to one
     * of {@code plainHttpHosts} ({@code salesforce.token-exchange.plain-http-hosts}).
     */
    static void requireSecure(String key, URI url, List<String> plainHttpHosts) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("http") && !isLoopback(url.getHost())
                && plainHttpHosts.stream().noneMatch(host -> host.equalsIgnoreCase(normalised(url.getHost())))) {
            throw new InvalidConfigurationException(key, "must be https (plain http is allowed only for a loopback host "
                    + "such as 127.0.0.1 or localhost, or a host listed in salesforce.token-exchange.plain-http-hosts)");
        }
    }

    /**
     * The token endpoint must be on My Domain, a site or a custom URL: the generic login hosts
     * refuse token exchange, and Salesforce's other hosts (Lightning UI, Setup, Visualforce,
     * content) serve no token endpoint at all (a redirect or a page, every exchange a 502).
     */
    static void requireTokenExchangeHost(String key, URI loginUrl) {
        String host = normalised(loginUrl.getHost());
        if (GENERIC_LOGIN_HOSTS.contains(host)) {
            throw new InvalidConfigurationException(key, "must be your My Domain URL (https://<domain>.my.salesforce.com)"
                    + " or an Experience Cloud site URL: Salesforce refuses token exchange on " + host);
        }
        String hint = nonTokenHostHint(host);
        if (hint != null) {
            throw new InvalidConfigurationException(key, hint);
        }
    }

    /**
     * Salesforce hosts that serve no token endpoint, by suffix, each with the My Domain suffix a
     * login URL would use instead ({@code null}: no mechanical suggestion).
     */
    private static final List<String[]> NON_TOKEN_HOSTS = List.of(
            new String[] {".lightning.force.com", ".my.salesforce.com"},
            new String[] {".lightning.force.mil", ".my.salesforce.mil"},
            new String[] {".lightning.crmforce.mil", ".my.salesforce.mil"},
            new String[] {".my.salesforce-setup.com", ".my.salesforce.com"},
            new String[] {".vf.force.com", null},
            new String[] {".file.force.com", null},
            new String[] {".my.salesforce-scrt.com", null},
            new String[] {".documentforce.com", null},
            new String[] {".visualforce.com", null});

    /** Why {@code host} cannot be a login URL, with what to use instead; {@code null} when it may be. */
    static String nonTokenHostHint(String host) {
        for (String[] entry : NON_TOKEN_HOSTS) {
            if (host.endsWith(entry[0]) && host.length() > entry[0].length()) {
                String suggestion = entry[1] == null ? "https://<domain>.my.salesforce.com"
                        : "https://" + host.substring(0, host.length() - entry[0].length()) + entry[1];
                return "must be your My Domain URL or an Experience Cloud site URL: " + host + " is a Salesforce "
                        + "browser or content host, which serves no token endpoint. Use " + suggestion
                        + " (Setup > My Domain shows it)";
            }
        }
        return null;
    }

    /** An allowlist entry is a URL pattern ({@code *.} wildcards allowed): the same rules, checked on its text. */
    static void requireSecureAllowlistEntry(String key, String pattern, List<String> plainHttpHosts) {
        if (pattern == null || pattern.isBlank()) {
            return; // InstanceUrlAllowlist names an empty pattern
        }
        URI probe;
        try {
            probe = URI.create(pattern.strip().replace("://*.", "://wildcard-label."));
        } catch (IllegalArgumentException e) {
            return; // malformed: InstanceUrlAllowlist names it
        }
        if (probe.getHost() == null) {
            return;
        }
        requireSecure(key, probe, plainHttpHosts);
        String hint = nonTokenHostHint(normalised(probe.getHost()));
        if (hint != null) {
            throw new InvalidConfigurationException(key, "must not hold " + normalised(probe.getHost())
                    + ": Salesforce never issues a session there (instance_url is the org's My Domain)");
        }
        if (GENERIC_LOGIN_HOSTS.contains(normalised(probe.getHost()))) {
            throw new InvalidConfigurationException(key, "must not hold " + normalised(probe.getHost())
                    + ": Salesforce never issues a session there");
        }
    }

    /**
     * Each exchange with {@code refresh_token} (or {@code offline_access}) mints a new approval,
     * and Salesforce keeps five per user and app: the sixth revokes the oldest with its sessions.
     * Not refused, as an org may have reasons; said loudly once at start-up. So is an omitted
     * {@code scopes}: Salesforce then grants all of the app's scopes, {@code refresh_token}
     * included when the app has it.
     */
    static void warnAboutRefreshTokenScope(String key, List<String> scopes) {
        if (scopes.isEmpty()) {
            log.warn("{} is not set: no scope is sent, and Salesforce then grants every scope the app has, refresh_token "
                    + "included when the app has it. Each token exchange would then mint a new refresh token, and "
                    + "Salesforce keeps five approvals per user and app, revoking the oldest with its sessions. Set "
                    + "scopes: [api].", key);
            return;
        }
        for (String scope : scopes) {
            if ("refresh_token".equals(scope) || "offline_access".equals(scope)) {
                log.warn("{} holds '{}': every token exchange then mints a new refresh token, and Salesforce keeps five "
                        + "approvals per user and app, revoking the oldest with its sessions, so cached sessions die "
                        + "under busy users and several gateway replicas. The gateway never uses or keeps the refresh "
                        + "token. Use [api] alone.", key, scope);
                return;
            }
        }
    }

    /**
     * Says once at start-up when REST's first destination is outside the allowlist: the login
     * URL's origin (My Domain, where {@code instance_url} points) or, for an Experience Cloud
     * site, the site URL (where members' REST goes). Not refused: with a custom URL as login URL,
     * {@code instance_url} is legitimately another host.
     */
    static void warnWhenRestIsOutsideTheAllowlist(String key, URI rest, InstanceUrlAllowlist allowlist) {
        if (!allowlist.allows(rest)) {
            log.warn("{}: login-url {} is outside instance-url-allowlist. Salesforce answers instance_url on the org's "
                    + "My Domain (GovCloud: *.my.salesforce.mil) and a site member's REST on the site URL: unless the "
                    + "allowlist covers where they point, every exchange is refused (502).", key, rest);
        }
    }

    static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        String h = normalised(host);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.equals("localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")
                || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    private static String normalised(String host) {
        String h = host == null ? "" : host.toLowerCase(Locale.ROOT);
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }
}
