package io.sfgateway.emulator;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The org's daily API allocation and its users' API access, as REST sees them:
 * <ul>
 *   <li>every REST answer but the versions list carries {@code Sforce-Limit-Info: api-usage=N/M};</li>
 *   <li>each authenticated REST call spends one request; once the allocation is spent, REST answers
 *       {@code 403 REQUEST_LIMIT_EXCEEDED} (and spends nothing more) until the usage is set lower;</li>
 *   <li>a user whose API access is off ({@code API Enabled} removed) gets {@code 403 API_CURRENTLY_DISABLED}.</li>
 * </ul>
 * Salesforce's window is a rolling 24 hours; here the usage changes only by calls and by {@link #usage(long)},
 * so a test can put the org at any share of its limit. {@link SalesforceEmulator#reset()} restores the defaults.
 */
public final class ApiAllocation {

    /**
     * The allocation until a test sets one: large enough that no load or soak run spends it (a Developer Edition
     * org has 15,000, an Enterprise Edition org 100,000 plus 1,000 per licence); set {@link #limit(long)} to
     * test what happens near the end.
     */
    public static final long DEFAULT_DAILY_LIMIT = 100_000_000;

    private final AtomicLong used = new AtomicLong();
    private volatile long limit = DEFAULT_DAILY_LIMIT;
    private final Set<String> apiDisabledUsers = ConcurrentHashMap.newKeySet();
    private volatile String limitInfoOverride;

    /** Sets the daily allocation (at least 1). */
    public void limit(long dailyLimit) {
        if (dailyLimit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        limit = dailyLimit;
    }

    /** Sets the requests already spent today (0 or more; more than the limit means over it). */
    public void usage(long spent) {
        if (spent < 0) {
            throw new IllegalArgumentException("usage must not be negative");
        }
        used.set(spent);
    }

    /** Turns one user's API access (the {@code API Enabled} permission) off or back on. */
    public void apiEnabled(String subject, boolean enabled) {
        Objects.requireNonNull(subject, "subject");
        if (enabled) {
            apiDisabledUsers.remove(subject);
        } else {
            apiDisabledUsers.add(subject);
        }
    }

    /**
     * Sends {@code raw} as the {@code Sforce-Limit-Info} value instead of the real figures (a header a
     * client must survive: garbage, other parts, a changed format); {@code null} restores it. The
     * allocation is still counted and enforced.
     */
    public void limitInfoOverride(String raw) {
        limitInfoOverride = raw;
    }

    public long limit() {
        return limit;
    }

    public long usage() {
        return used.get();
    }

    boolean apiEnabled(String subject) {
        return !apiDisabledUsers.contains(subject);
    }

    /** Spends one request if any is left; false (nothing spent) when the allocation is spent. */
    boolean trySpend() {
        long max = limit;
        while (true) {
            long now = used.get();
            if (now >= max) {
                return false;
            }
            if (used.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** The header value Salesforce sends: {@code api-usage=<used>/<limit>}. */
    String limitInfo() {
        String override = limitInfoOverride;
        if (override != null) {
            return override;
        }
        return "api-usage=" + used.get() + "/" + limit;
    }

    void reset() {
        used.set(0);
        limit = DEFAULT_DAILY_LIMIT;
        apiDisabledUsers.clear();
        limitInfoOverride = null;
    }
}
