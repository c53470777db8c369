package io.sfgateway.loadtests.support;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The emulator's {@code /__admin} API and its token endpoint, from another process. */
public final class EmulatorAdmin {

    /** What the org has seen since start or the last reset. */
    public record Counters(long totalExchanges, long tokenRequests, long restCalls, long maxExchangesPerSubject,
            Map<String, Long> exchangesBySubject) {

        /** The highest exchange count among subjects whose name starts with {@code prefix} (0 when none). */
        public long maxExchangesWithPrefix(String prefix) {
            return exchangesBySubject.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                    .mapToLong(Map.Entry::getValue).max().orElse(0);
        }

        /** Exchanges of subjects whose name starts with {@code prefix}. */
        public long exchangesWithPrefix(String prefix) {
            return exchangesBySubject.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                    .mapToLong(Map.Entry::getValue).sum();
        }

        /** Subjects whose name starts with {@code prefix} and that were exchanged at least once. */
        public long subjectsWithPrefix(String prefix) {
            return exchangesBySubject.keySet().stream().filter(s -> s.startsWith(prefix)).count();
        }
    }

    public static final String AUDIENCE = "salesforce-gateway";
    public static final String CLIENT_ID = "demo-client";
    public static final String CLIENT_SECRET = "demo-secret";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String baseUrl;

    public EmulatorAdmin(String baseUrl) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** {@code {issuer, jwksUri}}. */
    public Map<String, String> idp() {
        JsonNode idp = json(Http.get(baseUrl + "/__admin/idp"));
        return Map.of("issuer", idp.get("issuer").asString(), "jwksUri", idp.get("jwksUri").asString());
    }

    /** An IdP JWT for {@code subject}, audience salesforce-gateway. */
    public String mint(String subject, Duration ttl) {
        Http.Answer answer = Http.get(mintUrl(subject, ttl));
        if (answer.status() != 200) {
            throw new IllegalStateException("minting a token for " + subject + ": HTTP " + answer.status());
        }
        return answer.body().trim();
    }

    /** Tokens for many subjects, in order, minted a few at a time. */
    public List<String> mintAll(List<String> subjects, Duration ttl) {
        Semaphore inFlight = new Semaphore(8);
        List<CompletableFuture<String>> futures = new ArrayList<>(subjects.size());
        for (String subject : subjects) {
            inFlight.acquireUninterruptibly();
            HttpRequest request = HttpRequest.newBuilder(URI.create(mintUrl(subject, ttl)))
                    .timeout(Duration.ofSeconds(30)).GET().build();
            futures.add(Http.client().sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .whenComplete((r, e) -> inFlight.release())
                    .thenApply(response -> {
                        if (response.statusCode() != 200) {
                            throw new IllegalStateException("minting for " + subject + ": HTTP "
                                    + response.statusCode());
                        }
                        return response.body().trim();
                    }));
        }
        List<String> tokens = new ArrayList<>(subjects.size());
        for (CompletableFuture<String> future : futures) {
            tokens.add(future.join());
        }
        return tokens;
    }

    private String mintUrl(String subject, Duration ttl) {
        return baseUrl + "/__admin/idp/token?sub=" + Http.encode(subject) + "&aud=" + AUDIENCE + "&ttlSeconds="
                + ttl.toSeconds();
    }

    public Counters counters() {
        JsonNode c = json(Http.get(baseUrl + "/__admin/counters"));
        Map<String, Long> bySubject = new LinkedHashMap<>();
        c.get("exchangesBySubject").properties().forEach(e -> bySubject.put(e.getKey(), e.getValue().asLong()));
        return new Counters(c.get("totalExchanges").asLong(), c.get("tokenRequests").asLong(),
                c.get("restCalls").asLong(), c.get("maxExchangesPerSubject").asLong(), bySubject);
    }

    public void reset() {
        expectOk(Http.post(baseUrl + "/__admin/reset"), "reset");
    }

    /** NONE, HANG, SERVER_ERROR, ... */
    public void fault(String fault) {
        expectOk(Http.post(baseUrl + "/__admin/fault?token=" + fault), "fault " + fault);
    }

    public void latency(long tokenMillis, long restMillis) {
        expectOk(Http.post(baseUrl + "/__admin/latency?token=" + tokenMillis + "&rest=" + restMillis), "latency");
    }

    /**
     * A Salesforce session for {@code idpToken}, obtained by POSTing the token exchange to the org directly (the
     * benchmark's floor and limit use it as a static bearer token).
     */
    public String exchangeDirectly(String idpToken) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
        form.put("subject_token", idpToken);
        form.put("subject_token_type", "urn:ietf:params:oauth:token-type:access_token");
        form.put("client_id", CLIENT_ID);
        form.put("client_secret", CLIENT_SECRET);
        form.put("scope", "api");
        Http.Answer answer = Http.postForm(baseUrl + "/services/oauth2/token", form);
        if (answer.status() != 200) {
            throw new IllegalStateException("direct token exchange: HTTP " + answer.status());
        }
        return json(answer).get("access_token").asString();
    }

    private static JsonNode json(Http.Answer answer) {
        if (answer.status() != 200) {
            throw new IllegalStateException("HTTP " + answer.status() + ": " + answer.body());
        }
        return JSON.readTree(answer.body());
    }

    private static void expectOk(Http.Answer answer, String what) {
        if (answer.status() != 200) {
            throw new IllegalStateException(what + ": HTTP " + answer.status() + " " + answer.body());
        }
    }
}
