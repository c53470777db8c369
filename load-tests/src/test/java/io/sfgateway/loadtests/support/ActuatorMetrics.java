package io.sfgateway.loadtests.support;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A gateway's Micrometer meters as its actuator serves them in JSON ({@code /actuator/metrics/{name}?tag=k:v} on
 * the management port), by meter name and statistic: no scraping of Prometheus text. A meter (or tag combination)
 * the gateway has not registered yet reads as 0.
 */
public final class ActuatorMetrics {

    /** Resilience4j's breaker states, as tagged on {@code resilience4j.circuitbreaker.state}. */
    private static final List<String> BREAKER_STATES = List.of("closed", "open", "half_open", "forced_open",
            "disabled", "metrics_only");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String managementUrl;

    public ActuatorMetrics(String managementUrl) {
        this.managementUrl = managementUrl.replaceAll("/+$", "");
    }

    /** The gauge's value (statistic VALUE) summed over the series with these {@code key:value} tags. */
    public double value(String name, String... tags) {
        return statistic(name, "VALUE", tags);
    }

    /** A counter's or timer's count (statistic COUNT). */
    public double count(String name, String... tags) {
        return statistic(name, "COUNT", tags);
    }

    /** A timer's total time in seconds (statistic TOTAL_TIME, converted from the meter's base unit). */
    public double totalSeconds(String name, String... tags) {
        JsonNode meter = meter(name, tags);
        double total = statistic(meter, "TOTAL_TIME");
        String unit = meter == null || meter.get("baseUnit") == null ? "seconds" : meter.get("baseUnit").asString();
        return switch (unit) {
            case "milliseconds" -> total / 1e3;
            case "microseconds" -> total / 1e6;
            case "nanoseconds" -> total / 1e9;
            default -> total;
        };
    }

    /** One statistic of a meter (COUNT, TOTAL, TOTAL_TIME, VALUE, MAX, ...), 0 when the meter is absent. */
    public double statistic(String name, String statistic, String... tags) {
        return statistic(meter(name, tags), statistic);
    }

    /** The state of the Resilience4j circuit breaker {@code breaker} ("closed", "open", ...; "unknown"). */
    public String breakerState(String breaker) {
        for (String state : BREAKER_STATES) {
            if (value("resilience4j.circuitbreaker.state", "name:" + breaker, "state:" + state) >= 1.0) {
                return state;
            }
        }
        return "unknown";
    }

    /** The meter's JSON ({@code name, baseUnit, measurements[], availableTags[]}), or null when not registered. */
    public JsonNode meter(String name, String... tags) {
        StringBuilder url = new StringBuilder(managementUrl).append("/actuator/metrics/").append(name);
        for (int i = 0; i < tags.length; i++) {
            url.append(i == 0 ? '?' : '&').append("tag=").append(Http.encode(tags[i]));
        }
        Http.Answer answer = Http.get(url.toString(), Map.of("Accept", "application/json"), Duration.ofSeconds(10));
        if (answer.status() == 404) {
            return null;
        }
        if (answer.status() != 200) {
            throw new IllegalStateException("GET " + url + ": HTTP " + answer.status());
        }
        return JSON.readTree(answer.body());
    }

    private static double statistic(JsonNode meter, String statistic) {
        if (meter == null) {
            return 0;
        }
        for (JsonNode measurement : meter.get("measurements")) {
            if (statistic.equals(measurement.get("statistic").asString())) {
                return measurement.get("value").asDouble();
            }
        }
        return 0;
    }
}
