package io.sfgateway.emulator;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;

/** {@code /services/data/vXX.X/query} and {@code /services/data/vXX.X/sobjects/...} over the {@link SObjectStore}. */
final class SObjectEndpoints {

    private final SObjectStore store;

    SObjectEndpoints(SObjectStore store) {
        this.store = store;
    }

    /** {@code GET …/query?q=…}. */
    Answer query(String version, String method, String soql) {
        if (!method.equals("GET")) {
            return RestErrors.methodNotAllowed(method, "GET,HEAD");
        }
        SoqlQuery query;
        try {
            query = SoqlQuery.parse(soql);
        } catch (IllegalArgumentException e) {
            return RestErrors.badRequest("MALFORMED_QUERY",
                    soql == null ? "A query string has to be specified" : "unexpected token: no FROM clause");
        }
        Optional<SObjectStore.SObjectType> type = store.type(query.type());
        if (type.isEmpty()) {
            return RestErrors.badRequest("INVALID_TYPE", "sObject type '" + query.type() + "' is not supported.");
        }
        List<Object> records = new ArrayList<>();
        for (Map<String, Object> record : store.all(type.get())) {
            if (query.limit() >= 0 && records.size() >= query.limit()) {
                break;
            }
            if (matches(record, query)) {
                records.add(project(version, type.get(), record, query.fields()));
            }
        }
        return Answer.json(200, Json.object("totalSize", records.size(), "done", true, "records", records));
    }

    /** {@code …/sobjects/{type}[/{id}]}; {@code rest} holds the segments after {@code sobjects}. */
    Answer sobjects(String version, String method, List<String> rest, String body) {
        if (rest.isEmpty()) {
            return method.equals("GET") ? describeGlobal() : RestErrors.methodNotAllowed(method, "GET,HEAD");
        }
        Optional<SObjectStore.SObjectType> type = store.type(rest.get(0));
        if (type.isEmpty() || rest.size() > 2) {
            return RestErrors.notFound();
        }
        if (rest.size() == 1) {
            switch (method) {
                case "POST":
                    return create(type.get(), body);
                case "GET":
                    return Answer.json(200, Json.object("objectDescribe", describe(type.get()), "recentItems",
                            List.of()));
                default:
                    return RestErrors.methodNotAllowed(method, "GET,HEAD,POST");
            }
        }
        String id = rest.get(1);
        switch (method) {
            case "GET":
                return store.get(type.get(), id)
                        .map(record -> Answer.json(200, withAttributes(version, type.get(), record)))
                        .orElseGet(RestErrors::notFound);
            case "PATCH":
                Map<String, Object> fields;
                try {
                    fields = Json.readObject(body);
                } catch (JacksonException e) {
                    return RestErrors.badRequest("JSON_PARSER_ERROR", "the body is not a JSON object");
                }
                return store.update(type.get(), id, fields) ? Answer.empty(204) : RestErrors.notFound();
            case "DELETE":
                return store.delete(type.get(), id) ? Answer.empty(204) : RestErrors.notFound();
            default:
                return RestErrors.methodNotAllowed(method, "GET,PATCH,HEAD,DELETE");
        }
    }

    private Answer create(SObjectStore.SObjectType type, String body) {
        Map<String, Object> fields;
        try {
            fields = Json.readObject(body);
        } catch (JacksonException e) {
            return RestErrors.badRequest("JSON_PARSER_ERROR", "the body is not a JSON object");
        }
        List<String> missing = SObjectStore.missingRequired(type, fields);
        if (!missing.isEmpty()) {
            return Answer.json(400, Json.write(List.of(Json.object("message",
                    "Required fields are missing: " + missing, "errorCode", "REQUIRED_FIELD_MISSING", "fields",
                    missing))));
        }
        String id = store.create(type, fields);
        return Answer.json(201, Json.object("id", id, "success", true, "errors", List.of()));
    }

    private Answer describeGlobal() {
        List<Object> types = new ArrayList<>();
        for (SObjectStore.SObjectType type : SObjectStore.TYPES) {
            types.add(describe(type));
        }
        return Answer.json(200, Json.object("encoding", "UTF-8", "maxBatchSize", 200, "sobjects", types));
    }

    private static Map<String, Object> describe(SObjectStore.SObjectType type) {
        return Json.object("name", type.name(), "label", type.name(), "keyPrefix", type.keyPrefix(),
                "createable", true, "updateable", true, "deletable", true, "queryable", true);
    }

    private static boolean matches(Map<String, Object> record, SoqlQuery query) {
        if (query.whereField() == null) {
            return true;
        }
        Object value = field(record, query.whereField()).getValue();
        return value != null && value.toString().equals(query.whereValue());
    }

    private static Map<String, Object> project(String version, SObjectStore.SObjectType type,
            Map<String, Object> record, List<String> fields) {
        if (fields.isEmpty()) {
            return withAttributes(version, type, record);
        }
        Map<String, Object> projected = new LinkedHashMap<>();
        projected.put("attributes", attributes(version, type, (String) record.get("Id")));
        for (String name : fields) {
            Map.Entry<String, Object> field = field(record, name);
            projected.put(field.getKey(), field.getValue());
        }
        return projected;
    }

    /** The record's field of that name (case-insensitive), or the name as written with a null value. */
    private static Map.Entry<String, Object> field(Map<String, Object> record, String name) {
        for (Map.Entry<String, Object> entry : record.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                return entry;
            }
        }
        return new AbstractMap.SimpleEntry<>(name, null);
    }

    private static Map<String, Object> withAttributes(String version, SObjectStore.SObjectType type,
            Map<String, Object> record) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("attributes", attributes(version, type, (String) record.get("Id")));
        out.putAll(record);
        return out;
    }

    private static Map<String, Object> attributes(String version, SObjectStore.SObjectType type, String id) {
        return Json.object("type", type.name(), "url",
                "/services/data/" + version + "/sobjects/" + type.name() + "/" + id);
    }
}
