package io.sfgateway.emulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How an emulated org is set up. Build one with {@link #builder()}.
 *
 * @param port               the org's port on 127.0.0.1; 0 picks a free one
 * @param orgId              the 18-character org id
 * @param apps               the connected apps enabled for token exchange
 * @param users              subject (IdP {@code sub}) to Salesforce user id
 * @param autoProvisionUsers whether an unknown subject gets a user id derived from the subject (else
 *                           {@code invalid_grant})
 * @param audience           the audience a subject JWT must carry
 * @param sessionTimeout     how long an issued session stays valid (can be changed at run time)
 * @param idpPort            the IdP's port on 127.0.0.1; 0 picks a free one
 * @param opaqueTokenRule    how a subject token that is not a JWT maps to a subject
 * @param host               the address the org binds; {@code 127.0.0.1} unless it must be reached from
 *                           another host (a Kubernetes Service: {@code 0.0.0.0})
 * @param publicUrl          the base URL the org calls itself in {@code instance_url} and {@code id};
 *                           {@code null} for {@code http://<host>:<port>}
 */
public record EmulatorConfig(int port, String orgId, List<ConnectedApp> apps, Map<String, String> users,
        boolean autoProvisionUsers, String audience, Duration sessionTimeout, int idpPort,
        OpaqueTokenRule opaqueTokenRule, String host, String publicUrl) {

    public static final String DEFAULT_ORG_ID = "00D000000000001AAA";
    public static final String DEFAULT_AUDIENCE = "salesforce-gateway";
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofHours(2);

    public EmulatorConfig {
        if (port < 0 || port > 65535 || idpPort < 0 || idpPort > 65535) {
            throw new IllegalArgumentException("port out of range");
        }
        Objects.requireNonNull(orgId, "orgId");
        if (!orgId.matches("[0-9A-Za-z]{18}")) {
            throw new IllegalArgumentException("orgId must be an 18-character Salesforce id");
        }
        apps = List.copyOf(apps);
        if (apps.isEmpty()) {
            throw new IllegalArgumentException("at least one connected app is needed");
        }
        if (apps.stream().map(ConnectedApp::clientId).distinct().count() != apps.size()) {
            throw new IllegalArgumentException("client ids must be unique");
        }
        users = Map.copyOf(users);
        Objects.requireNonNull(audience, "audience");
        if (audience.isBlank()) {
            throw new IllegalArgumentException("audience must not be blank");
        }
        Objects.requireNonNull(sessionTimeout, "sessionTimeout");
        if (sessionTimeout.isNegative() || sessionTimeout.isZero()) {
            throw new IllegalArgumentException("sessionTimeout must be positive");
        }
        opaqueTokenRule = opaqueTokenRule == null ? OpaqueTokenRule.defaultRule() : opaqueTokenRule;
        host = host == null || host.isBlank() ? "127.0.0.1" : host.strip();
        publicUrl = publicUrl == null || publicUrl.isBlank() ? null : publicUrl.strip().replaceAll("/+$", "");
    }

    /** The nine-component form: bound to 127.0.0.1, named by its own address. */
    public EmulatorConfig(int port, String orgId, List<ConnectedApp> apps, Map<String, String> users,
            boolean autoProvisionUsers, String audience, Duration sessionTimeout, int idpPort,
            OpaqueTokenRule opaqueTokenRule) {
        this(port, orgId, apps, users, autoProvisionUsers, audience, sessionTimeout, idpPort, opaqueTokenRule, null,
                null);
    }

    /** The original seven-component form: IdP on a random port, default opaque-token rule. */
    public EmulatorConfig(int port, String orgId, List<ConnectedApp> apps, Map<String, String> users,
            boolean autoProvisionUsers, String audience, Duration sessionTimeout) {
        this(port, orgId, apps, users, autoProvisionUsers, audience, sessionTimeout, 0, null);
    }

    /** The default configuration (see {@link Builder}). */
    public static EmulatorConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The app with that client id, or {@code null}. */
    public ConnectedApp app(String clientId) {
        for (ConnectedApp app : apps) {
            if (app.clientId().equals(clientId)) {
                return app;
            }
        }
        return null;
    }

    /**
     * Defaults: port 0, org {@value #DEFAULT_ORG_ID}, one app {@code ConnectedApp.confidential("demo-client",
     * "demo-secret")}, users alice and bob, no auto-provisioning, audience {@value #DEFAULT_AUDIENCE}, session
     * timeout 2 h, IdP port 0, the default opaque-token rule.
     */
    public static final class Builder {

        private String host;
        private String publicUrl;
        private int port;
        private String orgId = DEFAULT_ORG_ID;
        private final List<ConnectedApp> apps = new ArrayList<>(List.of(
                ConnectedApp.confidential("demo-client", "demo-secret")));
        private boolean defaultApp = true;
        private final Map<String, String> users = new LinkedHashMap<>(Map.of(
                "alice", "005000000000001AAA",
                "bob", "005000000000002AAA"));
        private boolean autoProvisionUsers;
        private String audience = DEFAULT_AUDIENCE;
        private Duration sessionTimeout = DEFAULT_SESSION_TIMEOUT;
        private int idpPort;
        private OpaqueTokenRule opaqueTokenRule = OpaqueTokenRule.defaultRule();

        private Builder() {
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder orgId(String orgId) {
            this.orgId = orgId;
            return this;
        }

        /** Adds an app; the first call replaces the default {@code demo-client}. */
        public Builder app(ConnectedApp app) {
            if (defaultApp) {
                apps.clear();
                defaultApp = false;
            }
            apps.add(Objects.requireNonNull(app, "app"));
            return this;
        }

        /** Adds (or replaces) a user; the default users alice and bob stay unless {@link #clearUsers()}. */
        public Builder user(String subject, String userId) {
            users.put(Objects.requireNonNull(subject, "subject"), Objects.requireNonNull(userId, "userId"));
            return this;
        }

        /** Removes every user, the defaults included. */
        public Builder clearUsers() {
            users.clear();
            return this;
        }

        public Builder autoProvisionUsers(boolean autoProvisionUsers) {
            this.autoProvisionUsers = autoProvisionUsers;
            return this;
        }

        public Builder audience(String audience) {
            this.audience = audience;
            return this;
        }

        public Builder sessionTimeout(Duration sessionTimeout) {
            this.sessionTimeout = sessionTimeout;
            return this;
        }

        public Builder idpPort(int idpPort) {
            this.idpPort = idpPort;
            return this;
        }

        public Builder opaqueTokenRule(OpaqueTokenRule rule) {
            this.opaqueTokenRule = Objects.requireNonNull(rule, "rule");
            return this;
        }

        /** The address to bind: 127.0.0.1 by default; 0.0.0.0 to be reachable from other hosts. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** The base URL the org gives in {@code instance_url} and {@code id}, when clients reach it by another name. */
        public Builder publicUrl(String publicUrl) {
            this.publicUrl = publicUrl;
            return this;
        }

        public EmulatorConfig build() {
            return new EmulatorConfig(port, orgId, apps, users, autoProvisionUsers, audience, sessionTimeout,
                    idpPort, opaqueTokenRule, host, publicUrl);
        }
    }
}
