package io.sfgateway.emulator;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

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
    private final Set<String> inactiveSubjects = ConcurrentHashMap.newKeySet();
    private final Set<String> unapprovedSubjects = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, AtomicInteger> logins = new ConcurrentHashMap<>();
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

    /** Logins allowed per user until {@link SalesforceEmulator#reset()}; 0 for no limit. Past it: {@code rate_limit_exceeded}. */
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

    /** Counts one login of {@code subject}; false when it is over the limit. */
    boolean login(String subject) {
        int limit = loginRateLimit;
        return limit == 0 || logins.computeIfAbsent(subject, s -> new AtomicInteger()).incrementAndGet() <= limit;
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
        inactiveSubjects.clear();
        unapprovedSubjects.clear();
        logins.clear();
        userSessionTimeouts.clear();
    }
}
