package io.sfgateway.emulator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/** The one JSON mapper of the emulator and a few shapes Salesforce uses. */
final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }

    static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    /** Parses a JSON object; throws {@link tools.jackson.core.JacksonException} when it is not one. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> readObject(String json) {
        return MAPPER.readValue(json, LinkedHashMap.class);
    }

    /** An ordered map from alternating keys and values. */
    static Map<String, Object> object(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** Salesforce's REST error shape: a one-element array {@code [{"message":…,"errorCode":…}]}. */
    static String restError(String errorCode, String message) {
        return write(List.of(object("message", message, "errorCode", errorCode)));
    }

    /** Salesforce's OAuth error shape: {@code {"error":…,"error_description":…}}. */
    static String oauthError(String error, String description) {
        return write(object("error", error, "error_description", description));
    }
}
