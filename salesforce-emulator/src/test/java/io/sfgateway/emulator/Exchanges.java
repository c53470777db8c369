package io.sfgateway.emulator;

import java.util.LinkedHashMap;
import java.util.Map;

/** Token exchange forms and calls against an emulator, for tests. */
final class Exchanges {

    static final String GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
    static final String ACCESS_TOKEN = ConnectedApp.TOKEN_TYPE_ACCESS_TOKEN;

    private Exchanges() {
    }

    /** A valid form for the default demo-client and that subject token, asking for {@code api} as the gateway's docs advise. */
    static Map<String, String> form(String subjectToken) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", GRANT);
        form.put("subject_token", subjectToken);
        form.put("subject_token_type", ACCESS_TOKEN);
        form.put("client_id", "demo-client");
        form.put("client_secret", "demo-secret");
        form.put("scope", "api");
        return form;
    }

    static Map<String, String> with(Map<String, String> form, String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(form);
        if (value == null) {
            copy.remove(name);
        } else {
            copy.put(name, value);
        }
        return copy;
    }

    static Http.Response exchange(SalesforceEmulator sf, Map<String, String> form) {
        return Http.postForm(sf.tokenEndpoint(), form);
    }

    /** Exchanges a freshly minted IdP token for that subject; returns the Salesforce access token. */
    static String session(SalesforceEmulator sf, String subject) {
        Http.Response response = exchange(sf, form(sf.idp().mintToken(subject, sf.config().audience())));
        if (response.status() != 200) {
            throw new AssertionError("exchange failed: " + response.status() + " " + response.body());
        }
        return response.json().get("access_token").asString();
    }
}
