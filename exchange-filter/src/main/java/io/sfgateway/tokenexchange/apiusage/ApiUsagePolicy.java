package io.sfgateway.tokenexchange.apiusage;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one registration does with the org's API usage
 * ({@code salesforce.token-exchange.registrations.<name>.api-usage.*}).
 *
 * @param warnAt shares of the daily limit (0 to 1) at which one WARN is logged as usage crosses
 *     them upwards; sorted here
 * @param shedAbove the share above which new requests are answered 429 without calling
 *     Salesforce, or {@code null} for never (the default)
 * @param retryAfter the {@code Retry-After} of a shed request, and how often one request is let
 *     through while shedding, so a fresh figure can end it
 */
public record ApiUsagePolicy(List<Double> warnAt, Double shedAbove, Duration retryAfter) {

    /** Two WARNs, at 80 % and 95 %; no shedding. */
    public static final List<Double> DEFAULT_WARN_AT = List.of(0.80, 0.95);

    public ApiUsagePolicy {
        warnAt = warnAt == null ? DEFAULT_WARN_AT : warnAt.stream().sorted().distinct().toList();
        Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** The defaults: WARN at 80 % and 95 %, no shedding, a 60 s retry. */
    public static ApiUsagePolicy defaults() {
        return new ApiUsagePolicy(DEFAULT_WARN_AT, null, Duration.ofSeconds(60));
    }
}
