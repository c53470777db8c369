package io.sfgateway.loadtests.simulations;

import io.sfgateway.loadtests.support.EmulatorAdmin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * IdP tokens minted in {@code before()} and fed to virtual users. The feeder is built when the scenario is (in the
 * constructor), the tokens come later: the iterator reads them only as users start.
 */
final class TokenPool {

    private volatile List<Map<String, Object>> records = List.of();

    /** Mints one token per subject at the emulator's IdP; {@code extra} adds fields to record {@code i}. */
    void fill(EmulatorAdmin admin, List<String> subjects, Duration ttl, IntFunction<Map<String, Object>> extra) {
        long start = System.nanoTime();
        List<String> tokens = admin.mintAll(subjects, ttl);
        List<Map<String, Object>> filled = new ArrayList<>(tokens.size());
        for (int i = 0; i < tokens.size(); i++) {
            Map<String, Object> record = new HashMap<>(extra.apply(i));
            record.put("subject", subjects.get(i));
            record.put("token", tokens.get(i));
            filled.add(record);
        }
        records = Collections.unmodifiableList(filled);
        System.out.printf("minted %d IdP tokens in %d ms%n", tokens.size(), (System.nanoTime() - start) / 1_000_000);
    }

    void fill(EmulatorAdmin admin, List<String> subjects, Duration ttl) {
        fill(admin, subjects, ttl, i -> Map.of());
    }

    int size() {
        return records.size();
    }

    /** Each record once, in order; a run that needs more users than tokens fails loudly. */
    Iterator<Map<String, Object>> queue() {
        AtomicInteger next = new AtomicInteger();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return next.get() < records.size();
            }

            @Override
            public Map<String, Object> next() {
                int i = next.getAndIncrement();
                List<Map<String, Object>> all = records;
                if (i >= all.size()) {
                    throw new NoSuchElementException("token pool exhausted after " + all.size() + " users");
                }
                return all.get(i);
            }
        };
    }

    /** User {@code u} gets record {@code u / usersPerRecord}: bursts of users that share one subject. */
    Iterator<Map<String, Object>> grouped(int usersPerRecord) {
        AtomicInteger next = new AtomicInteger();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return next.get() / usersPerRecord < records.size();
            }

            @Override
            public Map<String, Object> next() {
                return records.get(next.getAndIncrement() / usersPerRecord);
            }
        };
    }
}
