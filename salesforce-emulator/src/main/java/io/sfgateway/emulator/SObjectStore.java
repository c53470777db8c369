package io.sfgateway.emulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The org's records, in memory: a few canned Accounts and Contacts, which REST can read, create, update and
 * delete. Records are immutable maps replaced atomically, so concurrent updates never tear a record.
 */
final class SObjectStore {

    /** An sObject type the store knows, with its id key prefix and the fields a create must carry. */
    record SObjectType(String name, String keyPrefix, List<String> requiredFields) {
    }

    static final List<SObjectType> TYPES = List.of(
            new SObjectType("Account", "001", List.of("Name")),
            new SObjectType("Contact", "003", List.of("LastName")));

    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Map<String, Object>>> records =
            new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicLong> sequences = new ConcurrentHashMap<>();

    SObjectStore() {
        reset();
    }

    /** The known type of that name (case-insensitive, as Salesforce treats API names). */
    Optional<SObjectType> type(String name) {
        return TYPES.stream().filter(t -> t.name().equalsIgnoreCase(name)).findFirst();
    }

    /** Every record of the type, by id. */
    List<Map<String, Object>> all(SObjectType type) {
        List<Map<String, Object>> list = new ArrayList<>(table(type).values());
        list.sort(Comparator.comparing(r -> (String) r.get("Id")));
        return list;
    }

    Optional<Map<String, Object>> get(SObjectType type, String id) {
        return Optional.ofNullable(table(type).get(normalizeId(id)));
    }

    /** Creates a record and returns its id. */
    String create(SObjectType type, Map<String, Object> fields) {
        String id = SalesforceIds.sequential(type.keyPrefix(), sequences.get(type.name()).incrementAndGet());
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("Id", id);
        record.putAll(writable(fields));
        table(type).put(id, finish(type, record));
        return id;
    }

    /** Merges fields into a record; false when there is no such record. */
    boolean update(SObjectType type, String id, Map<String, Object> fields) {
        Map<String, Object> updated = table(type).computeIfPresent(normalizeId(id), (key, old) -> {
            Map<String, Object> record = new LinkedHashMap<>(old);
            record.putAll(writable(fields));
            return finish(type, record);
        });
        return updated != null;
    }

    boolean delete(SObjectType type, String id) {
        return table(type).remove(normalizeId(id)) != null;
    }

    /** Back to the canned data. */
    void reset() {
        for (SObjectType type : TYPES) {
            records.put(type.name(), new ConcurrentHashMap<>());
            sequences.put(type.name(), new AtomicLong());
        }
        SObjectType account = type("Account").orElseThrow();
        SObjectType contact = type("Contact").orElseThrow();
        String acme = create(account, Json.object("Name", "Acme Corporation", "Industry", "Manufacturing",
                "BillingCity", "San Francisco", "Phone", "+1 415 555 0100"));
        String globex = create(account, Json.object("Name", "Globex Inc", "Industry", "Technology",
                "BillingCity", "Springfield", "Phone", "+1 217 555 0199"));
        create(account, Json.object("Name", "Initech", "Industry", "Software", "BillingCity", "Austin",
                "Phone", "+1 512 555 0142"));
        create(contact, Json.object("FirstName", "Alice", "LastName", "Anderson", "Email", "alice@example.com",
                "AccountId", acme));
        create(contact, Json.object("FirstName", "Bob", "LastName", "Brown", "Email", "bob@example.com",
                "AccountId", acme));
        create(contact, Json.object("FirstName", "Carol", "LastName", "Chen", "Email", "carol@example.com",
                "AccountId", globex));
    }

    /** The required fields a create is missing. */
    static List<String> missingRequired(SObjectType type, Map<String, Object> fields) {
        List<String> missing = new ArrayList<>();
        for (String field : type.requiredFields()) {
            Object value = fields.get(field);
            if (value == null || value.toString().isBlank()) {
                missing.add(field);
            }
        }
        return missing;
    }

    private ConcurrentHashMap<String, Map<String, Object>> table(SObjectType type) {
        return records.get(type.name());
    }

    /** Accepts a 15-character id for an 18-character one, as Salesforce does. */
    private static String normalizeId(String id) {
        return id.length() == 15 ? SalesforceIds.withSuffix(id) : id;
    }

    private static Map<String, Object> writable(Map<String, Object> fields) {
        Map<String, Object> copy = new LinkedHashMap<>(fields);
        copy.keySet().removeIf(k -> k.equalsIgnoreCase("Id") || k.equalsIgnoreCase("attributes"));
        return copy;
    }

    /** Derives compound fields (a Contact's Name) and freezes the record. */
    private static Map<String, Object> finish(SObjectType type, Map<String, Object> record) {
        if (type.name().equals("Contact")) {
            String first = record.get("FirstName") == null ? "" : record.get("FirstName").toString();
            String last = record.get("LastName") == null ? "" : record.get("LastName").toString();
            record.put("Name", (first + " " + last).trim());
        }
        return Collections.unmodifiableMap(record);
    }
}
