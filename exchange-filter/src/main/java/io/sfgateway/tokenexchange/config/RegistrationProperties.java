package io.sfgateway.tokenexchange.config;

import jakarta.validation.Valid;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * One Salesforce org and External Client App the gateway exchanges tokens with
 * ({@code salesforce.token-exchange.registrations.<name>.*}).
 */
public class RegistrationProperties {

    /** The defaults of {@link #getSessionPaths()}: Salesforce's API surface. */
    public static final List<String> DEFAULT_SESSION_PATHS = List.of("/services/data/", "/services/apexrest/");

    /**
     * My Domain or Experience Cloud site URL; the token endpoint is
     * <login-url>/services/oauth2/token.
     */
    private URI loginUrl;

    /** The app's consumer key. */
    private String clientId;

    /** The app's consumer secret; empty or absent for a public client (no client_secret is sent). */
    private String clientSecret;

    /** token-exchange, hybrid-token-exchange, or a full URN. */
    private String grantType = "token-exchange";

    /** access_token, refresh_token, id_token, saml2, jwt, or a full URN. */
    private String subjectTokenType = "access_token";

    /** The Apex token exchange handler, sent as token_handler. */
    private String tokenHandler;

    /** Scopes sent space-separated as scope. */
    private List<String> scopes = List.of();

    /** The org's (or app's) session timeout; Salesforce sends no expires_in. */
    @DurationMin(seconds = 1)
    private Duration sessionTimeout = Duration.ofHours(2);

    /**
     * scheme://host[:port] patterns a session's instance_url must match; a host may begin with
     * "*."; defaults to the login URL's origin.
     */
    private List<String> instanceUrlAllowlist = List.of();

    /** Local validation of the caller's token. */
    @Valid
    @NestedConfigurationProperty
    private final SubjectProperties subject = new SubjectProperties();

    /**
     * Raw path prefixes the Salesforce session is sent to; a request outside them is refused (404)
     * before any exchange, whatever the route's predicates say.
     */
    private List<String> sessionPaths = DEFAULT_SESSION_PATHS;

    /** Caller headers never sent to Salesforce (case-insensitive). */
    private List<String> strippedRequestHeaders = List.of("Cookie", "X-SFDC-Session");

    /** Query parameters never sent to Salesforce (names compared case-insensitively, after percent-decoding). */
    private List<String> strippedQueryParameters = List.of("access_token");

    /** Salesforce answer headers never sent back to the caller. */
    private List<String> strippedResponseHeaders = List.of("Set-Cookie");

    /** What to do with the org's API usage read from Salesforce's answers. */
    @Valid
    private TokenExchangeProperties.ApiUsage apiUsage = new TokenExchangeProperties.ApiUsage(null, null, null);

    public URI getLoginUrl() {
        return this.loginUrl;
    }

    public void setLoginUrl(URI loginUrl) {
        this.loginUrl = loginUrl;
    }

    public String getClientId() {
        return this.clientId;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public String getClientSecret() {
        return this.clientSecret;
    }

    public void setClientSecret(String clientSecret) {
        this.clientSecret = clientSecret;
    }

    public String getGrantType() {
        return this.grantType;
    }

    public void setGrantType(String grantType) {
        this.grantType = grantType;
    }

    public String getSubjectTokenType() {
        return this.subjectTokenType;
    }

    public void setSubjectTokenType(String subjectTokenType) {
        this.subjectTokenType = subjectTokenType;
    }

    public String getTokenHandler() {
        return this.tokenHandler;
    }

    public void setTokenHandler(String tokenHandler) {
        this.tokenHandler = tokenHandler;
    }

    public List<String> getScopes() {
        return this.scopes;
    }

    public void setScopes(List<String> scopes) {
        this.scopes = List.copyOf(scopes);
    }

    public Duration getSessionTimeout() {
        return this.sessionTimeout;
    }

    public void setSessionTimeout(Duration sessionTimeout) {
        this.sessionTimeout = sessionTimeout;
    }

    public List<String> getInstanceUrlAllowlist() {
        return this.instanceUrlAllowlist;
    }

    public void setInstanceUrlAllowlist(List<String> instanceUrlAllowlist) {
        this.instanceUrlAllowlist = List.copyOf(instanceUrlAllowlist);
    }

    public SubjectProperties getSubject() {
        return this.subject;
    }

    public List<String> getSessionPaths() {
        return this.sessionPaths;
    }

    public void setSessionPaths(List<String> sessionPaths) {
        this.sessionPaths = List.copyOf(sessionPaths);
    }

    public List<String> getStrippedRequestHeaders() {
        return this.strippedRequestHeaders;
    }

    public void setStrippedRequestHeaders(List<String> strippedRequestHeaders) {
        this.strippedRequestHeaders = List.copyOf(strippedRequestHeaders);
    }

    public List<String> getStrippedQueryParameters() {
        return this.strippedQueryParameters;
    }

    public void setStrippedQueryParameters(List<String> strippedQueryParameters) {
        this.strippedQueryParameters = List.copyOf(strippedQueryParameters);
    }

    public List<String> getStrippedResponseHeaders() {
        return this.strippedResponseHeaders;
    }

    public void setStrippedResponseHeaders(List<String> strippedResponseHeaders) {
        this.strippedResponseHeaders = List.copyOf(strippedResponseHeaders);
    }

    public TokenExchangeProperties.ApiUsage getApiUsage() {
        return this.apiUsage;
    }

    public void setApiUsage(TokenExchangeProperties.ApiUsage apiUsage) {
        this.apiUsage = apiUsage;
    }

    /** Never shows the client secret, only whether one is set. */
    @Override
    public String toString() {
        return "Registration[loginUrl=" + loginUrl + ", clientId=" + clientId + ", clientSecret="
                + (clientSecret == null || clientSecret.isEmpty() ? "(none)" : "(set)") + ", grantType=" + grantType
                + ", subjectTokenType=" + subjectTokenType + "]";
    }
}
