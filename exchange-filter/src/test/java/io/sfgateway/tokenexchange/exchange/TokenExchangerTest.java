package io.sfgateway.tokenexchange.exchange;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.sfgateway.tokenexchange.ExchangeFailure;
import io.sfgateway.tokenexchange.ExchangeFailure.Kind;
import io.sfgateway.tokenexchange.SalesforceSession;
import io.sfgateway.tokenexchange.config.TokenExchangeAutoConfiguration;
import io.sfgateway.tokenexchange.config.TokenExchangeProperties;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.util.unit.DataSize;
import reactor.core.scheduler.Schedulers;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** {@link TokenExchanger} against WireMock as Salesforce's token endpoint (see docs/ARCHITECTURE.md). */
class TokenExchangerTest {

    private static final String TOKEN_PATH = "/services/oauth2/token";
    /** A subject token with every b64token character that needs form encoding. */
    private static final String SUBJECT_TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.sig+nat/ure-_~==";
    private static final String CLIENT_SECRET = "s3cr3t-client-SECRET-0123456789";
    private static final String CLIENT_ID = "3MVG9-client-id";
    private static final String ACCESS_TOKEN = "00D5g000000abcd!AQ4AQ.sessionid";
    private static final String ID_URL = "https://login.salesforce.com/id/00D5g000000abcdEAA/0055g000000wxyzAAA";
    private static final String ISSUED_AT = "1700000000123";
    private static final Duration VERIFY = Duration.ofSeconds(10);

    private static WireMockServer wm;
    private static TokenEndpointTransport transport;

    @BeforeAll
    static void start() {
        wm = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        wm.start();
        transport = transport(Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        wm.stop();
    }

    @BeforeEach
    void reset() {
        wm.resetAll();
    }

    static TokenEndpointTransport transport(Duration timeout) {
        TokenExchangeProperties props = new TokenExchangeProperties();
        props.setExchange(new TokenExchangeProperties.Exchange(timeout, 64, Duration.ofSeconds(2), DataSize.ofKilobytes(64),
                16));
        return new TokenExchangeAutoConfiguration().tokenEndpointClients(props).transport();
    }

    private static ExchangeSettings settings(String secret, String grantType, String scope, String handler) {
        return settings(URI.create(wm.baseUrl() + TOKEN_PATH), secret, grantType, scope, handler);
    }

    private static ExchangeSettings settings(URI endpoint, String secret, String grantType, String scope, String handler) {
        return new ExchangeSettings("acme",
                new TokenClient(endpoint, CLIENT_ID, secret),
                new TokenRequest(grantType, ExchangeSettings.TOKEN_TYPE_PREFIX + "access_token", scope, handler),
                InstanceUrlAllowlist.of(List.of("https://*.my.salesforce.com")));
    }

    private static TokenExchanger exchanger(TokenEndpointTransport transport, ExchangeSettings settings) {
        return new TokenExchanger(transport, settings, Clock.systemUTC());
    }

    private static TokenExchanger confidential() {
        return exchanger(transport, settings(CLIENT_SECRET, ExchangeSettings.TOKEN_EXCHANGE, null, null));
    }

    private static TokenExchanger publicClient() {
        return exchanger(transport, settings(null, ExchangeSettings.TOKEN_EXCHANGE, null, null));
    }

    static String signature(String secret, String id, String issuedAt) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal((id + issuedAt).getBytes(StandardCharsets.UTF_8)));
    }

    private static String successBody(String instanceUrl, String signature) {
        return "{\"access_token\":\"" + ACCESS_TOKEN + "\",\"instance_url\":\"" + instanceUrl + "\",\"id\":\"" + ID_URL
                + "\",\"token_type\":\"Bearer\",\"issued_at\":\"" + ISSUED_AT + "\""
                + (signature == null ? "" : ",\"signature\":\"" + signature + "\"")
                + ",\"scope\":\"api refresh_token\",\"refresh_token\":\"5Aep861refresh\",\"id_token\":\"eyJid.token.x\"}";
    }

    private static void stubToken(ResponseDefinitionBuilder response) {
        wm.stubFor(post(urlEqualTo(TOKEN_PATH)).willReturn(response));
    }

    private static void stubSuccess() {
        stubToken(okJson(successBody("https://acme.my.salesforce.com", null)));
    }

    /** The form as the server received it, decoded, in order; fails on a repeated field. */
    private static Map<String, String> receivedForm() {
        List<LoggedRequest> requests = wm.findAll(postRequestedFor(urlEqualTo(TOKEN_PATH)));
        assertThat(requests).hasSize(1);
        String body = requests.get(0).getBodyAsString();
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            assertThat(form.put(name, value)).as("field %s sent once", name).isNull();
        }
        return form;
    }

    private static void assertFailure(Mono<?> exchange, Kind kind) {
        StepVerifier.create(exchange)
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(ExchangeFailure.class);
                    ExchangeFailure failure = (ExchangeFailure) error;
                    assertThat(failure.kind()).as("kind (detail: %s)", failure.detail()).isEqualTo(kind);
                    assertSafe(failure);
                })
                .verify(VERIFY);
    }

    private static void assertSafe(ExchangeFailure failure) {
        assertThat(failure.detail()).doesNotContain(SUBJECT_TOKEN).doesNotContain(CLIENT_SECRET)
                .doesNotContain("sig+nat/ure").doesNotContain("s3cr3t");
        assertThat(failure.getMessage()).isEqualTo(failure.detail());
    }

    @Nested
    class TheForm {

        @Test
        void confidentialClientWithEverythingConfigured() {
            stubSuccess();
            TokenExchanger exchanger = exchanger(transport,
                    settings(CLIENT_SECRET, ExchangeSettings.TOKEN_EXCHANGE, "api refresh_token", "AcmeHandler"));

            StepVerifier.create(exchanger.exchange(SUBJECT_TOKEN)).expectNextCount(1).expectComplete().verify(VERIFY);

            wm.verify(1, postRequestedFor(urlEqualTo(TOKEN_PATH))
                    .withHeader("Content-Type", containing("application/x-www-form-urlencoded")));
            Map<String, String> form = receivedForm();
            assertThat(form).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "grant_type", "urn:ietf:params:oauth:grant-type:token-exchange",
                    "subject_token", SUBJECT_TOKEN,
                    "subject_token_type", "urn:ietf:params:oauth:token-type:access_token",
                    "client_id", CLIENT_ID,
                    "client_secret", CLIENT_SECRET,
                    "scope", "api refresh_token",
                    "token_handler", "AcmeHandler"));
        }

        @Test
        void publicClientSendsOnlyTheRequiredFields() {
            stubSuccess();
            TokenExchanger exchanger = exchanger(transport,
                    settings(null, ExchangeSettings.HYBRID_TOKEN_EXCHANGE, null, null));

            StepVerifier.create(exchanger.exchange(SUBJECT_TOKEN)).expectNextCount(1).expectComplete().verify(VERIFY);

            wm.verify(1, postRequestedFor(urlEqualTo(TOKEN_PATH))
                    .withHeader("Content-Type", containing("application/x-www-form-urlencoded")));
            assertThat(receivedForm()).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "grant_type", "urn:ietf:params:oauth:grant-type:hybrid-token-exchange",
                    "subject_token", SUBJECT_TOKEN,
                    "subject_token_type", "urn:ietf:params:oauth:token-type:access_token",
                    "client_id", CLIENT_ID));
        }

        @Test
        void subjectTokenIsSentExactlyAsGivenWhateverItsLength() {
            stubSuccess();
            String longToken = "A".repeat(9_990) + "+/-_.~=";
            StepVerifier.create(publicClient().exchange(longToken)).expectNextCount(1).expectComplete().verify(VERIFY);
            assertThat(receivedForm()).containsEntry("subject_token", longToken);
        }

        @Test
        void scopeAloneAndHandlerAlone() {
            stubSuccess();
            StepVerifier.create(exchanger(transport, settings(null, ExchangeSettings.TOKEN_EXCHANGE, "api", null))
                    .exchange(SUBJECT_TOKEN)).expectNextCount(1).expectComplete().verify(VERIFY);
            assertThat(receivedForm()).containsEntry("scope", "api").doesNotContainKeys("token_handler", "client_secret");

            wm.resetRequests();
            StepVerifier.create(exchanger(transport, settings(null, ExchangeSettings.TOKEN_EXCHANGE, null, "H"))
                    .exchange(SUBJECT_TOKEN)).expectNextCount(1).expectComplete().verify(VERIFY);
            assertThat(receivedForm()).containsEntry("token_handler", "H").doesNotContainKeys("scope", "client_secret");
        }
    }

    @Nested
    class Success {

        @Test
        void parsesEveryField() throws Exception {
            stubToken(okJson(successBody("https://acme.my.salesforce.com", signature(CLIENT_SECRET, ID_URL, ISSUED_AT))));

            StepVerifier.create(confidential().exchange(SUBJECT_TOKEN))
                    .assertNext(session -> {
                        assertThat(session.accessToken()).isEqualTo(ACCESS_TOKEN);
                        assertThat(session.instanceUrl()).isEqualTo(URI.create("https://acme.my.salesforce.com"));
                        assertThat(session.orgId()).isEqualTo("00D5g000000abcdEAA");
                        assertThat(session.userId()).isEqualTo("0055g000000wxyzAAA");
                        assertThat(session.issuedAtMillis()).isEqualTo(1_700_000_000_123L);
                        assertThat(session.scope()).isEqualTo("api refresh_token");
                        // Never kept: a refresh token is a long-lived credential the gateway has no use for.
                        assertThat(SalesforceSession.class.getRecordComponents())
                                .extracting(java.lang.reflect.RecordComponent::getName)
                                .doesNotContain("refreshToken", "idToken");
                        assertThat(session.toString()).doesNotContain(ACCESS_TOKEN, "5Aep861refresh", "eyJid.token.x");
                    })
                    .expectComplete()
                    .verify(VERIFY);
        }

        @Test
        void minimalBodyIsAccepted() {
            stubToken(okJson("{\"access_token\":\"tok\",\"instance_url\":\"https://acme.my.salesforce.com/\"}"));
            long before = System.currentTimeMillis();
            StepVerifier.create(confidential().exchange(SUBJECT_TOKEN))
                    .assertNext(session -> {
                        assertThat(session.accessToken()).isEqualTo("tok");
                        assertThat(session.orgId()).isNull();
                        assertThat(session.userId()).isNull();
                        assertThat(session.scope()).isNull();
                        assertThat(session.issuedAtMillis()).isBetween(before, System.currentTimeMillis());
                    })
                    .expectComplete()
                    .verify(VERIFY);
        }

        @Test
        void validSignatureIsAccepted() throws Exception {
            stubToken(okJson(successBody("https://acme.my.salesforce.com", signature(CLIENT_SECRET, ID_URL, ISSUED_AT))));
            StepVerifier.create(confidential().exchange(SUBJECT_TOKEN)).expectNextCount(1).expectComplete().verify(VERIFY);
        }

        @Test
        void confidentialClientWithoutSignatureIsAccepted() {
            stubSuccess();
            StepVerifier.create(confidential().exchange(SUBJECT_TOKEN)).expectNextCount(1).expectComplete().verify(VERIFY);
        }

        @Test
        void sessionsOfOneOrgShareTheirInstanceUrlOrgIdAndScopeButNotTheirTokens() throws Exception {
            stubToken(okJson(successBody("https://acme.my.salesforce.com", signature(CLIENT_SECRET, ID_URL, ISSUED_AT))));
            TokenExchanger exchanger = confidential();
            SalesforceSession first = exchanger.exchange(SUBJECT_TOKEN).block(VERIFY);
            SalesforceSession second = exchanger.exchange(SUBJECT_TOKEN).block(VERIFY);

            assertThat(second.instanceUrl()).isSameAs(first.instanceUrl());
            assertThat(second.orgId()).isSameAs(first.orgId());
            assertThat(second.scope()).isSameAs(first.scope());
            assertThat(second.accessToken()).isNotSameAs(first.accessToken());
        }

        @Test
        void aSharedInstanceUrlIsStillCheckedAgainstTheAllowlist() throws Exception {
            TokenExchanger exchanger = confidential();
            stubToken(okJson(successBody("https://acme.my.salesforce.com", signature(CLIENT_SECRET, ID_URL, ISSUED_AT))));
            StepVerifier.create(exchanger.exchange(SUBJECT_TOKEN)).expectNextCount(1).expectComplete().verify(VERIFY);
            stubToken(okJson(successBody("https://acme.my.salesforce.com.evil.com",
                    signature(CLIENT_SECRET, ID_URL, ISSUED_AT))));
            assertFailure(exchanger.exchange(SUBJECT_TOKEN), Kind.SESSION_UNACCEPTABLE);
        }

        @Test
        void signatureIsIgnoredForAPublicClient() {
            stubToken(okJson(successBody("https://acme.my.salesforce.com", "bm90LWEtc2lnbmF0dXJl")));
            StepVerifier.create(publicClient().exchange(SUBJECT_TOKEN)).expectNextCount(1).expectComplete().verify(VERIFY);
        }
    }

    @Nested
    class Signature {

        @Test
        void signatureWithAnotherSecretIsRefused() throws Exception {
            stubToken(okJson(successBody("https://acme.my.salesforce.com", signature("another-secret", ID_URL, ISSUED_AT))));
            assertFailure(confidential().exchange(SUBJECT_TOKEN), Kind.SESSION_UNACCEPTABLE);
        }

        @Test
        void signatureOverOtherDataIsRefused() throws Exception {
            stubToken(okJson(successBody("https://acme.my.salesforce.com", signature(CLIENT_SECRET, ID_URL, "1700000000000"))));
            assertFailure(confidential().exchange(SUBJECT_TOKEN), Kind.SESSION_UNACCEPTABLE);
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "not base64 !!", "AAAA"})
        void malformedSignatureIsRefused(String signature) {
            stubToken(okJson(successBody("https://acme.my.salesforce.com", signature)));
            assertFailure(confidential().exchange(SUBJECT_TOKEN), Kind.SESSION_UNACCEPTABLE);
        }

        @Test
        void signatureWithoutIdIsRefused() throws Exception {
            stubToken(okJson("{\"access_token\":\"tok\",\"instance_url\":\"https://acme.my.salesforce.com\",\"issued_at\":\""
                    + ISSUED_AT + "\",\"signature\":\"" + signature(CLIENT_SECRET, "", ISSUED_AT) + "\"}"));
            assertFailure(confidential().exchange(SUBJECT_TOKEN), Kind.SESSION_UNACCEPTABLE);
        }
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of(400, "{\"error\":\"invalid_grant\",\"error_description\":\"invalid subject token\"}", Kind.SUBJECT_REJECTED),
                Arguments.of(401, "{\"error\":\"invalid_grant\",\"error_description\":\"expired\"}", Kind.SUBJECT_REJECTED),
                Arguments.of(400, "{\"error\":\"invalid_client\",\"error_description\":\"invalid client credentials\"}", Kind.GATEWAY_REJECTED),
                Arguments.of(401, "{\"error\":\"invalid_client\",\"error_description\":\"invalid client secret\"}", Kind.GATEWAY_REJECTED),
                Arguments.of(400, "{\"error\":\"invalid_request\",\"error_description\":\"token handler not found\"}", Kind.GATEWAY_REJECTED),
                Arguments.of(400, "{\"error\":\"unsupported_grant_type\",\"error_description\":\"grant type not supported\"}", Kind.GATEWAY_REJECTED),
                Arguments.of(400, "{\"error\":\"invalid_request\",\"error_description\":\"token handler validation failed\"}", Kind.SUBJECT_REJECTED),
                Arguments.of(400, "{\"error\":\"invalid_request\",\"error_description\":\"Employee badge revoked\"}", Kind.SUBJECT_REJECTED),
                Arguments.of(400, "{\"error\":\"invalid_request\"}", Kind.SUBJECT_REJECTED),
                Arguments.of(400, "{\"error\":\"invalid_request\",\"error_description\":\"Token Handler Not Found\"}", Kind.GATEWAY_REJECTED),
                Arguments.of(400, "{\"error\":\"invalid_request\",\"error_description\":\"unsupported subject token type\"}", Kind.GATEWAY_REJECTED),
                Arguments.of(400, "{\"error\":\"invalid_request\",\"error_description\":\"must use HTTP POST\"}", Kind.GATEWAY_REJECTED),
                Arguments.of(400, "{\"error\":\"invalid_request\",\"error_description\":\"subject_token is required\"}", Kind.GATEWAY_REJECTED),
                Arguments.of(400, "{\"error\":\"invalid_grant\",\"error_description\":\"user hasn't approved this consumer\"}", Kind.SUBJECT_REJECTED),
                Arguments.of(400, "{\"error\":\"inactive_user\",\"error_description\":\"user is inactive\"}", Kind.SUBJECT_REJECTED),
                Arguments.of(400, "{\"error\":\"invalid_client_id\",\"error_description\":\"client identifier invalid\"}", Kind.GATEWAY_REJECTED),
                Arguments.of(400, "{\"error\":\"invalid_scope\",\"error_description\":\"the requested scope is not allowed\"}", Kind.GATEWAY_REJECTED),
                Arguments.of(400, "{\"error\":\"rate_limit_exceeded\",\"error_description\":\"number of logins exceeded\"}", Kind.UNAVAILABLE),
                Arguments.of(403, "{\"error\":\"rate_limit_exceeded\"}", Kind.UNAVAILABLE),
                Arguments.of(400, "{\"error\":\"temporarily_unavailable\",\"error_description\":\"try later\"}", Kind.UNAVAILABLE),
                Arguments.of(400, "{\"error\":\"unknown_error\",\"error_description\":\"retry your request\"}", Kind.UNAVAILABLE),
                Arguments.of(400, "{\"error\":\"invalid_grant\",\"error_description\":\"ip restricted or invalid login hours\"}", Kind.GATEWAY_REJECTED),
                // A handler's own words are the caller's, even when they read like a configuration error.
                Arguments.of(400, "{\"error\":\"invalid_request\",\"error_description\":\"email claim is required\"}", Kind.SUBJECT_REJECTED),
                Arguments.of(400, "{\"error\":\"invalid_request\",\"error_description\":\"tenant not supported\"}", Kind.SUBJECT_REJECTED),
                Arguments.of(400, "{\"error\":\"invalid_request\",\"error_description\":\"content type must be application/x-www-form-urlencoded\"}", Kind.GATEWAY_REJECTED),
                Arguments.of(400, "<html>Bad Request</html>", Kind.GATEWAY_REJECTED),
                Arguments.of(403, "", Kind.GATEWAY_REJECTED));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("refusals")
    void refusalsAreClassifiedByOAuthErrorCode(int status, String body, Kind kind) {
        stubToken(aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body));
        assertFailure(confidential().exchange(SUBJECT_TOKEN), kind);
    }

    @Test
    void aUsersLoginThrottleIsNotTheBreakersAndWaitsForTheHour() {
        stubToken(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"rate_limit_exceeded\",\"error_description\":\"number of logins exceeded\"}"));
        StepVerifier.create(confidential().exchange(SUBJECT_TOKEN))
                .expectErrorSatisfies(error -> {
                    ExchangeFailure failure = (ExchangeFailure) error;
                    assertThat(failure.loginCondition()).isEqualTo(ExchangeFailure.LoginCondition.USER_THROTTLED);
                    assertThat(failure.isAvailabilityFailure()).as("one user's limit, not the org's health").isFalse();
                    assertThat(failure.retryAfterSeconds()).isBetween(60L, 3600L);
                })
                .verify(VERIFY);
        stubToken(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"unknown_error\",\"error_description\":\"retry your request\"}"));
        StepVerifier.create(confidential().exchange(SUBJECT_TOKEN))
                .expectErrorSatisfies(error -> {
                    ExchangeFailure failure = (ExchangeFailure) error;
                    assertThat(failure.isAvailabilityFailure()).as("Salesforce's transient fault").isTrue();
                    assertThat(failure.retryAfterSeconds()).isPositive();
                })
                .verify(VERIFY);
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 504})
    void serverErrorsAreUnavailable(int status) {
        stubToken(aResponse().withStatus(status).withBody("{\"error\":\"unknown_error\",\"error_description\":\"retry\"}"));
        assertFailure(confidential().exchange(SUBJECT_TOKEN), Kind.UNAVAILABLE);
    }

    @Test
    void rateLimitingIsUnavailableWithItsRetryAfter() {
        stubToken(aResponse().withStatus(429).withHeader("Retry-After", "7").withBody("{\"error\":\"rate_limited\"}"));
        StepVerifier.create(confidential().exchange(SUBJECT_TOKEN))
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOfSatisfying(ExchangeFailure.class, failure -> {
                        assertThat(failure.kind()).isEqualTo(Kind.UNAVAILABLE);
                        assertThat(failure.retryAfterSeconds()).isEqualTo(7);
                    });
                })
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void anAllowlistedSiteUrlIsWhereRestGoes() {
        ExchangeSettings site = new ExchangeSettings("acme",
                new TokenClient(URI.create(wm.baseUrl() + TOKEN_PATH), CLIENT_ID, null),
                new TokenRequest(ExchangeSettings.TOKEN_EXCHANGE, ExchangeSettings.TOKEN_TYPE_JWT, null, null),
                InstanceUrlAllowlist.of(List.of("https://*.my.salesforce.com", "https://acme.my.site.com/partners")));
        stubToken(okJson("{\"access_token\":\"tok\",\"instance_url\":\"https://acme.my.salesforce.com\","
                + "\"sfdc_site_url\":\"https://acme.my.site.com/partners\",\"sfdc_site_id\":\"0DM5g000000abcd\"}"));
        StepVerifier.create(exchanger(transport, site).exchange(SUBJECT_TOKEN))
                .assertNext(session -> assertThat(session.instanceUrl()).hasToString("https://acme.my.site.com/partners"))
                .verifyComplete();
        // Only the site need be allowlisted: instance_url (the org's host) is never called for a site member.
        ExchangeSettings siteOnly = new ExchangeSettings("acme",
                new TokenClient(URI.create(wm.baseUrl() + TOKEN_PATH), CLIENT_ID, null),
                new TokenRequest(ExchangeSettings.TOKEN_EXCHANGE, ExchangeSettings.TOKEN_TYPE_JWT, null, null),
                InstanceUrlAllowlist.of(List.of("https://acme.my.site.com/partners")));
        stubToken(okJson("{\"access_token\":\"tok\",\"instance_url\":\"https://acme.my.salesforce.com\","
                + "\"sfdc_community_url\":\"https://acme.my.site.com/partners\",\"sfdc_community_id\":\"0DM5g000000abcd\"}"));
        StepVerifier.create(exchanger(transport, siteOnly).exchange(SUBJECT_TOKEN))
                .assertNext(session -> assertThat(session.instanceUrl()).hasToString("https://acme.my.site.com/partners"))
                .verifyComplete();
        // A site outside the allowlist (or not a plain site URL) is refused, even with instance_url allowlisted:
        // REST for a site member goes to the site, and instance_url would answer 401.
        for (String url : List.of("https://acme.my.site.com/other", "https://evil.example.com/partners",
                "https://acme.my.site.com/partners/../x")) {
            stubToken(okJson("{\"access_token\":\"tok\",\"instance_url\":\"https://acme.my.salesforce.com\","
                    + "\"sfdc_site_url\":\"" + url + "\"}"));
            StepVerifier.create(exchanger(transport, site).exchange(SUBJECT_TOKEN))
                    .expectErrorSatisfies(error -> assertThat(((ExchangeFailure) error).kind())
                            .isEqualTo(ExchangeFailure.Kind.SESSION_UNACCEPTABLE))
                    .verify(VERIFY);
        }
    }

    @Test
    void aJwtFormatTokenCarriesItsExpAndAnOpaqueOneNone() {
        String claims = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"sub\":\"005x\",\"iat\":1700000000,\"exp\":1700001800}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        stubToken(okJson("{\"access_token\":\"eyJhbGciOiJIUzI1NiJ9." + claims + ".c2ln\",\"instance_url\":"
                + "\"https://acme.my.salesforce.com\",\"issued_at\":\"1700000000000\",\"token_format\":\"jwt\"}"));
        StepVerifier.create(publicClient().exchange(SUBJECT_TOKEN))
                .assertNext(session -> {
                    assertThat(session.expiresAtMillis()).isEqualTo(1_700_001_800_000L);
                    assertThat(session.fixedLifetime()).isEqualTo(Duration.ofMinutes(30));
                })
                .verifyComplete();
        stubToken(okJson("{\"access_token\":\"00Dx!abc\",\"instance_url\":\"https://acme.my.salesforce.com\","
                + "\"token_format\":\"opaque\"}"));
        StepVerifier.create(publicClient().exchange(SUBJECT_TOKEN))
                .assertNext(session -> assertThat(session.fixedLifetime()).isNull())
                .verifyComplete();
    }

    @Test
    void handlerRejectionAndUnapprovedUserAreNamed() {
        stubToken(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"invalid_request\",\"error_description\":\"token handler validation failed\"}"));
        StepVerifier.create(confidential().exchange(SUBJECT_TOKEN))
                .expectErrorSatisfies(error -> assertThat(((ExchangeFailure) error).subjectRefusal())
                        .isEqualTo(ExchangeFailure.SubjectRefusal.HANDLER_REJECTED))
                .verify(VERIFY);
        stubToken(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"invalid_grant\",\"error_description\":\"user hasn't approved this consumer\"}"));
        StepVerifier.create(confidential().exchange(SUBJECT_TOKEN))
                .expectErrorSatisfies(error -> assertThat(((ExchangeFailure) error).subjectRefusal())
                        .isEqualTo(ExchangeFailure.SubjectRefusal.NOT_APPROVED))
                .verify(VERIFY);
        stubToken(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"invalid_grant\",\"error_description\":\"expired\"}"));
        StepVerifier.create(confidential().exchange(SUBJECT_TOKEN))
                .expectErrorSatisfies(error -> assertThat(((ExchangeFailure) error).subjectRefusal()).isNull())
                .verify(VERIFY);
    }

    @Test
    void orgWideLoginThrottlingIsUnavailableWithRetryAfter() {
        // temporarily_unavailable: the org's, counted by the breaker (one user's rate_limit_exceeded is not: below).
        stubToken(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"temporarily_unavailable\",\"error_description\":\"try later\"}"));
        StepVerifier.create(confidential().exchange(SUBJECT_TOKEN))
                .expectErrorSatisfies(error -> {
                    ExchangeFailure failure = (ExchangeFailure) error;
                    assertThat(failure.kind()).isEqualTo(Kind.UNAVAILABLE);
                    assertThat(failure.isAvailabilityFailure()).isTrue();
                    assertThat(failure.retryAfterSeconds()).isEqualTo(TokenErrorClassifier.THROTTLED_RETRY_AFTER_SECONDS);
                })
                .verify(VERIFY);
        stubToken(aResponse().withStatus(400).withHeader("Retry-After", "12").withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"temporarily_unavailable\"}"));
        StepVerifier.create(confidential().exchange(SUBJECT_TOKEN))
                .expectErrorSatisfies(error -> assertThat(((ExchangeFailure) error).retryAfterSeconds()).isEqualTo(12))
                .verify(VERIFY);
    }

    @Test
    void echoedTokenAndSecretNeverReachTheDetail() {
        // Salesforce (or something in front of it) echoing the request must not put a token or secret in the log.
        stubToken(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"invalid_grant\",\"error_description\":\"bad subject_token " + SUBJECT_TOKEN
                        + " for client_secret " + CLIENT_SECRET + "\"}"));
        assertFailure(confidential().exchange(SUBJECT_TOKEN), Kind.SUBJECT_REJECTED);
    }

    @Test
    void longEchoedTokenIsNotLeakedInPartEither() {
        String token = "T" + "x".repeat(2_000);
        stubToken(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"invalid_grant\",\"error_description\":\"token " + token + "\"}"));
        StepVerifier.create(publicClient().exchange(token))
                .expectErrorSatisfies(error -> {
                    ExchangeFailure failure = (ExchangeFailure) error;
                    assertThat(failure.kind()).isEqualTo(Kind.SUBJECT_REJECTED);
                    assertThat(failure.detail()).doesNotContain("Txxxxxxxx");
                })
                .verify(VERIFY);
    }

    static Stream<Arguments> malformedAnswers() {
        String big = "{\"access_token\":\"" + "a".repeat(1024 * 1024) + "\",\"instance_url\":\"https://acme.my.salesforce.com\"}";
        return Stream.of(
                Arguments.of("HTML 200", aResponse().withStatus(200).withHeader("Content-Type", "text/html")
                        .withBody("<html><body>Login</body></html>")),
                Arguments.of("empty 200", aResponse().withStatus(200)),
                Arguments.of("JSON array", okJson("[{\"access_token\":\"tok\",\"instance_url\":\"https://acme.my.salesforce.com\"}]")),
                Arguments.of("no access_token", okJson("{\"instance_url\":\"https://acme.my.salesforce.com\"}")),
                Arguments.of("blank access_token", okJson("{\"access_token\":\" \",\"instance_url\":\"https://acme.my.salesforce.com\"}")),
                Arguments.of("access_token object", okJson("{\"access_token\":{\"a\":1},\"instance_url\":\"https://acme.my.salesforce.com\"}")),
                Arguments.of("error body", okJson("{\"error\":\"invalid_grant\",\"error_description\":\"nope\"}")),
                Arguments.of("no instance_url", okJson("{\"access_token\":\"tok\"}")),
                Arguments.of("null instance_url", okJson("{\"access_token\":\"tok\",\"instance_url\":null}")),
                Arguments.of("truncated JSON", okJson("{\"access_token\":\"tok\",\"instance_url\":\"https://acme.my.sales")),
                Arguments.of("over size cap", okJson(big)),
                Arguments.of("duplicate instance_url", okJson("{\"access_token\":\"tok\",\"instance_url\":\"https://acme.my.salesforce.com\","
                        + "\"instance_url\":\"https://evil.example.com\"}")),
                Arguments.of("duplicate access_token", okJson("{\"access_token\":\"tok\",\"access_token\":\"other\","
                        + "\"instance_url\":\"https://acme.my.salesforce.com\"}")),
                Arguments.of("204", aResponse().withStatus(204)),
                Arguments.of("304", aResponse().withStatus(304)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedAnswers")
    void malformedAnswersAreUnacceptable(String name, ResponseDefinitionBuilder response) {
        stubToken(response);
        assertFailure(confidential().exchange(SUBJECT_TOKEN), Kind.SESSION_UNACCEPTABLE);
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void redirectsAreNotFollowed(int status) {
        stubToken(aResponse().withStatus(status).withHeader("Location", wm.baseUrl() + "/elsewhere"));
        wm.stubFor(post(urlEqualTo("/elsewhere")).willReturn(okJson(successBody("https://acme.my.salesforce.com", null))));
        wm.stubFor(get(urlEqualTo("/elsewhere")).willReturn(okJson(successBody("https://acme.my.salesforce.com", null))));

        assertFailure(confidential().exchange(SUBJECT_TOKEN), Kind.SESSION_UNACCEPTABLE);

        wm.verify(0, anyRequestedFor(urlEqualTo("/elsewhere")));
        wm.verify(1, anyRequestedFor(anyUrl()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://acme.my.salesforce.com.evil.com",
        "https://evil@acme.my.salesforce.com",
        "https://evil.com#@acme.my.salesforce.com",
        "https://evil.com\\\\@acme.my.salesforce.com",
        "https://1.2.3.4",
        "http://acme.my.salesforce.com",
        "https://acme.my.salesforce.com:8443",
        "https://my.salesforce.com",
        "https://.my.salesforce.com",
        "https://acme.my.salesforce.com/path",
        "https://acme.my.salesforce.com?x=1",
        "https://acme.my.salesforce.com#x",
        "https://acme.my.salesforce.com.",
        "https://acmemy.salesforce.com",
        "javascript:alert(1)",
        "//acme.my.salesforce.com",
        "acme.my.salesforce.com",
        "https://acme.my.salesforce.com\\n.evil.com",
        ""})
    void instanceUrlTricksAreRefused(String instanceUrl) {
        stubToken(okJson("{\"access_token\":\"tok\",\"instance_url\":\"" + instanceUrl + "\"}"));
        assertFailure(confidential().exchange(SUBJECT_TOKEN), Kind.SESSION_UNACCEPTABLE);
    }

    @Test
    void connectionRefusedIsUnavailable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        TokenExchanger exchanger = exchanger(transport, settings(
                URI.create("http://127.0.0.1:" + port + TOKEN_PATH), CLIENT_SECRET, ExchangeSettings.TOKEN_EXCHANGE, null, null));
        assertFailure(exchanger.exchange(SUBJECT_TOKEN), Kind.UNAVAILABLE);
    }

    @Test
    void slowHeadersUnderTheGuardTimeOut() {
        stubToken(okJson(successBody("https://acme.my.salesforce.com", null)).withFixedDelay(3_000));
        ExchangeGuard guard = new ExchangeGuard(CircuitBreaker.ofDefaults("t1"), Bulkhead.ofDefaults("t1"),
                Duration.ofMillis(300), Schedulers.parallel());
        long start = System.nanoTime();
        assertFailure(confidential().exchange(SUBJECT_TOKEN).transformDeferred(guard), Kind.TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_500));
    }

    @Test
    void drippingBodyUnderTheGuardTimesOut() {
        stubToken(okJson(successBody("https://acme.my.salesforce.com", null)).withChunkedDribbleDelay(20, 3_000));
        ExchangeGuard guard = new ExchangeGuard(CircuitBreaker.ofDefaults("t2"), Bulkhead.ofDefaults("t2"),
                Duration.ofMillis(300), Schedulers.parallel());
        long start = System.nanoTime();
        assertFailure(confidential().exchange(SUBJECT_TOKEN).transformDeferred(guard), Kind.TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_500));
    }

    @Test
    void webClientResponseTimeoutIsATimeout() {
        stubToken(okJson(successBody("https://acme.my.salesforce.com", null)).withFixedDelay(3_000));
        TokenExchanger exchanger = exchanger(transport(Duration.ofMillis(300)),
                settings(CLIENT_SECRET, ExchangeSettings.TOKEN_EXCHANGE, null, null));
        assertFailure(exchanger.exchange(SUBJECT_TOKEN), Kind.TIMEOUT);
    }

    @Test
    void guardPassesSuccessAndRefusalsThrough() throws Exception {
        ExchangeGuard guard = new ExchangeGuard(
                CircuitBreaker.of("t3", ExchangeBreakerPolicy.appliedTo(CircuitBreakerConfig.ofDefaults())), Bulkhead.ofDefaults("t3"),
                Duration.ofSeconds(5), Schedulers.parallel());
        stubSuccess();
        StepVerifier.create(confidential().exchange(SUBJECT_TOKEN).transformDeferred(guard)).expectNextCount(1).expectComplete()
                .verify(VERIFY);
        stubToken(aResponse().withStatus(400).withBody("{\"error\":\"invalid_grant\"}"));
        assertFailure(confidential().exchange(SUBJECT_TOKEN).transformDeferred(guard), Kind.SUBJECT_REJECTED);
        assertThat(guard.circuitBreaker().getMetrics().getNumberOfFailedCalls()).isZero();
    }

    @Test
    void detailsAreLogSafeAcrossEveryFailure() {
        // a collective check: every failure kind produced above goes through assertSafe; here the
        // subject token and secret are also absent from the exception's string form
        stubToken(aResponse().withStatus(400).withBody("{\"error\":\"invalid_client\"}"));
        List<Throwable> errors = new ArrayList<>();
        StepVerifier.create(confidential().exchange(SUBJECT_TOKEN)).consumeErrorWith(errors::add).verify(VERIFY);
        assertThat(errors).singleElement().satisfies(e -> assertThat(e.toString()).doesNotContain(SUBJECT_TOKEN, CLIENT_SECRET));
    }
}
