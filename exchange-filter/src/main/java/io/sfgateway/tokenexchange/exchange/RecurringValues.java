package io.sfgateway.tokenexchange.exchange;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Values that every session of an org repeats (its {@code instance_url}, org id and scope), kept
 * once per registration instead of once per cached session: with 100,000 sessions of one org this
 * saves about 40 MB of heap. Bounded: past {@value #MAX_VALUES} distinct values a value is simply
 * not shared.
 */
final class RecurringValues {

    static final int MAX_VALUES = 1024;

    private final Map<String, URI> instanceUrls = new ConcurrentHashMap<>();
    private final Map<String, String> strings = new ConcurrentHashMap<>();

    /** The shared URI of an allowlisted instance URL seen before, or {@code null}. */
    URI knownInstanceUrl(String text) {
        return instanceUrls.get(text);
    }

    /** Remembers an instance URL that passed the allowlist; returns the shared copy. */
    URI rememberInstanceUrl(String text, URI url) {
        if (instanceUrls.size() >= MAX_VALUES) {
            return url;
        }
        URI previous = instanceUrls.putIfAbsent(text, url);
        return previous != null ? previous : url;
    }

    /** The shared copy of {@code value} ({@code null} stays {@code null}). */
    String share(String value) {
        if (value == null) {
            return null;
        }
        String shared = strings.get(value);
        if (shared != null) {
            return shared;
        }
        if (strings.size() >= MAX_VALUES) {
            return value;
        }
        shared = strings.putIfAbsent(value, value);
        return shared != null ? shared : value;
    }
}
