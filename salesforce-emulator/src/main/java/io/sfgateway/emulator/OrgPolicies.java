package io.sfgateway.emulator;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.time.Instant;

/**
 * How the emulated org's administrator set it up, and so which refusals a real org would answer:
 * the app's flow switch, its default handler, its scopes, users who are inactive or not approved,
 * the login rate limit, per-user (profile) session timeouts and an Experience Cloud site. Change
 * them at run time; {@link SalesforceEmulator#reset()} restores the defaults, which are those of
 * a correctly configured org.
 */
public final class OrgPolicies {

    /** What Salesforce answers, as {@code invalid_request}, when the Apex handler refuses a token. */
    public static final String HANDLER_VALIDATION_FAILED = "token handler validation failed";
    /** The scopes the app has unless set otherwise. */
    public static final Set<String> DEFAULT_APP_SCOPES = Set.of("api", "web", "openid", "refresh_token", "offline_access");
    /** Unique approvals an app keeps per user: each refresh token is one; the next revokes the oldest. */
    public static final int APPROVALS_PER_USER = 5;
    /** The Experience Cloud site id the emulator answers as {@code sfdc_site_id}. */
    public static final String SITE_ID = "0DM000000000001AAA";

    private volatile boolean tokenExchangeFlowEnabled = true;
    private volatile boolean defaultHandlerSet = true;
    private volatile String handlerRefusal = HANDLER_VALIDATION_FAILED;
    private volatile Set<String> appScopes = DEFAULT_APP_SCOPES;
    private volatile int loginRateLimit;
    private volatile String sitePrefix;
    private volatile boolean communityFieldNames;
    private volatile String siteOrigin;
    private volatile Duration jwtTokenTimeout;
    private final Set<String> inactiveSubjects = ConcurrentHashMap.newKeySet();
    private final Set<String> unapprovedSubjects = ConcurrentHashMap.newKeySet();
    private final Set<String> ipRestrictedSubjects = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, HourlyLogins> logins = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Duration> userSessionTimeouts = new ConcurrentHashMap<>();

    OrgPolicies() {
    }

    /** The app's "Enable Token Exchange Flow" boxes; off: every exchange gets {@code unsupported_grant_type}. */
    public void tokenExchangeFlowEnabled(boolean enabled) {
        tokenExchangeFlowEnabled = enabled;
    }

    /**
     * Whether one of the app's handlers is ticked as its default. Off: a request without
     * {@code token_handler} gets {@code invalid_request} "token handler not found".
     */
    public void defaultHandlerSet(boolean set) {
        defaultHandlerSet = set;
    }

    /** The description the Apex handler gives when it refuses a token; {@code null} restores Salesforce's. */
    public void handlerRefusal(String description) {
        handlerRefusal = description == null || description.isBlank() ? HANDLER_VALIDATION_FAILED : description;
    }

    /** The app's scopes; a request asking for any other gets {@code invalid_scope}. */
    public void appScopes(Set<String> scopes) {
        appScopes = Set.copyOf(Objects.requireNonNull(scopes, "scopes"));
    }

    /** Deactivates a user (by IdP subject): exchanges for it get {@code inactive_user}. */
    public void deactivate(String subject) {
        inactiveSubjects.add(subject);
    }

    /** A user outside the app's Permitted Users: exchanges get {@code invalid_grant} "user hasn't approved this consumer". */
    public void withholdApproval(String subject) {
        unapprovedSubjects.add(subject);
    }

    /**
     * A user outside the Login IP Ranges of their profile, or outside its login hours: exchanges get
     * {@code invalid_grant} "ip restricted or invalid login hours", whatever the token.
     */
    public void restrictIp(String subject) {
        ipRestrictedSubjects.add(subject);
    }

    /**
     * Logins allowed per user per clock hour, as Salesforce's per-user login limit (3,600 an hour on a real org);
     * 0 for no limit. Past it: {@code rate_limit_exceeded} until the next hour.
     */
    public void loginRateLimit(int perUser) {
        if (perUser < 0) {
            throw new IllegalArgumentException("login rate limit must not be negative");
        }
        loginRateLimit = perUser;
        logins.clear();
    }

    /** A shorter session timeout for one user (a profile's or the app's); it applies to sessions already issued. */
    public void userSessionTimeout(String subject, Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("session timeout must be positive");
        }
        userSessionTimeouts.put(subject, timeout);
    }

    /**
     * Serves an Experience Cloud site under {@code prefix} (such as {@code /partners}): its token
     * endpoint and REST API answer under the prefix, exchanges there answer {@code sfdc_site_url}
     * and {@code sfdc_site_id}, and their sessions are honoured on the site only. {@code null}: no site.
     */
    public void sitePrefix(String prefix) {
        if (prefix != null && !prefix.matches("(/[A-Za-z0-9_-]+)+")) {
            throw new IllegalArgumentException("a site prefix is /name[/name...]");
        }
        sitePrefix = prefix;
    }

    /**
     * Whether a site's answer names the site with the older field names ({@code sfdc_community_url},
     * {@code sfdc_community_id}, as in Salesforce's headless-identity samples) instead of {@code sfdc_site_url} and
     * {@code sfdc_site_id}.
     */
    public void communityFieldNames(boolean older) {
        communityFieldNames = older;
    }

    /**
     * "Issue JWT-based access tokens" on the app: answers say {@code token_format: jwt} and each access token is a
     * JWT that expires {@code tokenTimeout} after it was issued (the app's Token Timeout, 30 minutes by default on a
     * real org), however busy; {@code null}: opaque session ids (the default).
     */
    public void jwtAccessTokens(Duration tokenTimeout) {
        if (tokenTimeout != null && (tokenTimeout.isNegative() || tokenTimeout.isZero())) {
            throw new IllegalArgumentException("token timeout must be positive");
        }
        jwtTokenTimeout = tokenTimeout;
    }

    /** The origin of the site's own host ({@link SalesforceEmulator#serveSiteOn}), or {@code null}: the org's host. */
    public String siteOrigin() {
        return siteOrigin;
    }

    void siteOrigin(String origin) {
        siteOrigin = origin;
    }

    public boolean communityFieldNames() {
        return communityFieldNames;
    }

    /** The JWT-format tokens' lifetime, or {@code null} for opaque session ids. */
    public Duration jwtAccessTokens() {
        return jwtTokenTimeout;
    }

    public boolean tokenExchangeFlowEnabled() {
        return tokenExchangeFlowEnabled;
    }

    public boolean defaultHandlerSet() {
        return defaultHandlerSet;
    }

    public String handlerRefusal() {
        return handlerRefusal;
    }

    public Set<String> appScopes() {
        return appScopes;
    }

    /** The site prefix, or {@code null}. */
    public String sitePrefix() {
        return sitePrefix;
    }

    boolean isInactive(String subject) {
        return inactiveSubjects.contains(subject);
    }

    boolean isApproved(String subject) {
        return !unapprovedSubjects.contains(subject);
    }

    boolean isIpRestricted(String subject) {
        return ipRestrictedSubjects.contains(subject);
    }

    /** Counts one login of {@code subject} in the clock hour of {@code now}; false when it is over the limit. */
    boolean login(String subject, Instant now) {
        int limit = loginRateLimit;
        if (limit == 0) {
            return true;
        }
        long hour = now.getEpochSecond() / 3600;
        return logins.compute(subject, (s, count) -> count == null || count.hour() != hour
                ? new HourlyLogins(hour, 1) : new HourlyLogins(hour, count.logins() + 1)).logins() <= limit;
    }

    /** One user's logins in one clock hour (hours since the epoch). */
    private record HourlyLogins(long hour, int logins) {
    }

    /** The timeout of {@code subject}'s sessions: the org's, or the user's own when shorter. */
    Duration sessionTimeout(String subject, Duration orgTimeout) {
        Duration user = userSessionTimeouts.get(subject);
        return user != null && user.compareTo(orgTimeout) < 0 ? user : orgTimeout;
    }

    void reset() {
        tokenExchangeFlowEnabled = true;
        defaultHandlerSet = true;
        handlerRefusal = HANDLER_VALIDATION_FAILED;
        appScopes = DEFAULT_APP_SCOPES;
        loginRateLimit = 0;
        sitePrefix = null;
        communityFieldNames = false;
        siteOrigin = null;
        jwtTokenTimeout = null;
        ipRestrictedSubjects.clear();
        inactiveSubjects.clear();
        unapprovedSubjects.clear();
        logins.clear();
        userSessionTimeouts.clear();
    }
}
