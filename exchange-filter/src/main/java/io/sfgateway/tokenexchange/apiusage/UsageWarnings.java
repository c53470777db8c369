package io.sfgateway.tokenexchange.apiusage;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WARN per {@code warn-at} share as an org's usage crosses it upwards, not one per answer. A
 * share counts as left again only once usage is a point of the limit below it (the daily window
 * moved on), so answers arriving out of order around a threshold do not repeat the WARN.
 */
final class UsageWarnings {

    /** The logger of every API usage line. */
    static final Logger log = LoggerFactory.getLogger(ApiUsageMonitor.class);
    /** How far below a threshold usage must fall before it counts as left. */
    static final double HYSTERESIS = 0.01;

    private final String registration;
    private final String orgId;
    private final List<Double> thresholds;
    /** How many thresholds (lowest first) usage is past. */
    private final AtomicInteger level = new AtomicInteger();

    UsageWarnings(String registration, String orgId, List<Double> thresholds) {
        this.registration = registration;
        this.orgId = orgId;
        this.thresholds = thresholds;
    }

    void judge(SforceLimitInfo.Reading reading) {
        double share = reading.share();
        int previous = level.get();
        int next = previous;
        while (next < thresholds.size() && share >= thresholds.get(next)) {
            next++;
        }
        while (next > 0 && next <= previous && share < thresholds.get(next - 1) - HYSTERESIS) {
            next--;
        }
        if (next == previous || !level.compareAndSet(previous, next)) {
            return; // unchanged, or another answer moved it first (and logs it)
        }
        for (int crossed = previous; crossed < next; crossed++) {
            log.warn("Salesforce org {} (registration '{}') has used {} of its {} daily API requests: past {}"
                    + " (api-usage.warn-at)", orgId, registration, reading.used(), reading.limit(),
                    percent(thresholds.get(crossed)));
        }
    }

    static String percent(double share) {
        return Math.round(share * 1000) / 10.0 + " %";
    }
}
