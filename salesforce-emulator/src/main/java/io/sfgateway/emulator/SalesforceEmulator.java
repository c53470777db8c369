package io.sfgateway.emulator;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * An emulated Salesforce org (the token exchange endpoint and a REST subset) and its IdP, on 127.0.0.1.
 *
 * <pre>{@code
 * try (SalesforceEmulator sf = SalesforceEmulator.start(EmulatorConfig.builder().build())) {
 *     String idpToken = sf.idp().mintToken("alice", "salesforce-gateway");
 *     // POST sf.tokenEndpoint() with grant_type=urn:ietf:params:oauth:grant-type:token-exchange, ...
 * }
 * }</pre>
 *
 * <p>The org runs on Reactor Netty with its own event loops and never blocks them; latency and hangs are
 * scheduled, not slept. Nothing it logs holds a token, a secret or a session id.
 */
public final class SalesforceEmulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SalesforceEmulator.class);
    private static final String HOST = "127.0.0.1";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final EmulatorConfig config;
    private final IdentityProvider idp;
    private final LoopResources loops;
    private final DisposableServer server;
    private final String baseUrl;
    private final EmulatorControls controls;
    private final EmulatorCounters counters;
    private final SessionStore sessions;
    private final SObjectStore records;
    private final OrgPolicies policies = new OrgPolicies();
    private final AtomicReference<EmulatorRouter> router = new AtomicReference<>();
    /** Listeners of sites on hosts of their own, by host: bound once, kept until {@link #close()}. */
    private final java.util.concurrent.ConcurrentHashMap<String, DisposableServer> siteServers =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final ApiAllocation apiAllocation = new ApiAllocation();

    private SalesforceEmulator(EmulatorConfig config, IdentityProvider idp, LoopResources loops,
            DisposableServer server, EmulatorControls controls, EmulatorCounters counters, SessionStore sessions,
            SObjectStore records) {
        this.config = config;
        this.idp = idp;
        this.loops = loops;
        this.server = server;
        this.baseUrl = config.publicUrl() != null ? config.publicUrl()
                : "http://" + ("0.0.0.0".equals(config.host()) ? HOST : config.host()) + ":" + server.port();
        this.controls = controls;
        this.counters = counters;
        this.sessions = sessions;
        this.records = records;
    }

    /** Starts the IdP and the org; returns once both listen. Call it from a thread that may block. */
    public static SalesforceEmulator start(EmulatorConfig config) {
        Objects.requireNonNull(config, "config");
        IdentityProvider idp = IdentityProvider.start(config.idpPort());
        LoopResources loops = LoopResources.create("sf-emulator", 1, Math.max(2, Runtime.getRuntime()
                .availableProcessors()), true);
        try {
            SessionStore sessions = new SessionStore();
            EmulatorControls controls = new EmulatorControls(config.sessionTimeout(), sessions);
            EmulatorCounters counters = new EmulatorCounters();
            SObjectStore records = new SObjectStore();
            // The router needs the base URL, known only once bound: requests before then get a 503.
            AtomicReference<SalesforceEmulator> started = new AtomicReference<>();
            DisposableServer server = HttpServer.create()
                    .host(config.host())
                    .port(config.port())
                    .runOn(loops)
                    .handle((request, response) -> {
                        SalesforceEmulator e = started.get();
                        EmulatorRouter r = e == null ? null : e.router.get();
                        return r != null ? r.handle(request, response)
                                : Mono.from(Answer.text(503, "starting").send(response));
                    })
                    .bindNow(STOP_TIMEOUT);
            SalesforceEmulator emulator = new SalesforceEmulator(config, idp, loops, server, controls, counters,
                    sessions, records);
            started.set(emulator);
            emulator.router.set(emulator.newRouter());
            log.info("Salesforce emulator started: baseUrl={} orgId={} issuer={}", emulator.baseUrl,
                    config.orgId(), idp.issuer());
            return emulator;
        } catch (RuntimeException e) {
            loops.disposeLater(Duration.ZERO, STOP_TIMEOUT).block(STOP_TIMEOUT);
            idp.stop();
            throw e;
        }
    }

    private EmulatorRouter newRouter() {
        Clock clock = Clock.systemUTC();
        RandomTokens random = new RandomTokens();
        SubjectTokenValidator validator = new SubjectTokenValidator(idp, config.audience(),
                config.opaqueTokenRule(), clock);
        ExchangeRequestChecks checks = new ExchangeRequestChecks(config, validator,
                new UserDirectory(config.users(), config.autoProvisionUsers()), policies, clock);
        SessionIssuer issuer = new SessionIssuer(config.orgId(), baseUrl, sessions, controls, counters, random,
                clock, policies);
        warmUp(validator);
        return new EmulatorRouter(
                new TokenEndpoint(checks, issuer, controls, counters),
                new RestApi(sessions, controls, counters, new OrgEndpoints(config.orgId(), baseUrl, apiAllocation),
                        new SObjectEndpoints(records), baseUrl, clock, policies, apiAllocation),
                new AdminApi(this, config.audience()), policies, baseUrl);
    }

    /**
     * Serves the Experience Cloud site ({@link OrgPolicies#sitePrefix}) on a host name of its own, as a real site
     * lives on {@code <name>.my.site.com} while {@code instance_url} stays on the org's My Domain: the site answers
     * at {@code http://<host>:<port()><prefix>} only, and the org's own host no longer does. {@code host} is another
     * loopback address (such as {@code 127.0.0.2}: the whole 127.0.0.0/8 range reaches this machine). Returns the
     * site host's origin. Call it from a thread that may block; {@link #reset()} serves the site on the org's host
     * again. The admin API's {@code policy?siteHost=} does the same without blocking.
     */
    public String serveSiteOn(String host) {
        return serveSiteOnLater(host).block(STOP_TIMEOUT);
    }

    Mono<String> serveSiteOnLater(String host) {
        if (host == null || !host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")) {
            return Mono.error(new IllegalArgumentException("a site host is a loopback address such as 127.0.0.2"));
        }
        String origin = "http://" + host + ":" + server.port();
        DisposableServer bound = siteServers.get(host);
        Mono<DisposableServer> listener = bound != null ? Mono.just(bound) : HttpServer.create()
                .host(host)
                .port(server.port())
                .runOn(loops)
                .handle((request, response) -> router.get().handleOnSiteHost(request, response))
                .bind()
                .map(fresh -> {
                    DisposableServer raced = siteServers.putIfAbsent(host, fresh);
                    if (raced != null) {
                        fresh.dispose();
                        return raced;
                    }
                    return fresh;
                });
        return listener.map(s -> {
            policies.siteOrigin(origin);
            log.debug("site host {} serves the site", origin);
            return origin;
        });
    }

    /**
     * Runs the crypto once on this (blocking-tolerant) thread, so JCA provider lookups and class loading are done
     * before the first request reaches an event loop.
     */
    private void warmUp(SubjectTokenValidator validator) {
        validator.validate(idp.mintToken("warm-up", config.audience()));
        SessionSignature.sign("warm", "up", "warm-up");
    }

    /** {@code http://127.0.0.1:<port>}; also the {@code instance_url} issued unless overridden. */
    public String baseUrl() {
        return baseUrl;
    }

    /** {@code baseUrl() + "/services/oauth2/token"}. */
    public String tokenEndpoint() {
        return baseUrl + TokenEndpoint.PATH;
    }

    public int port() {
        return server.port();
    }

    public String orgId() {
        return config.orgId();
    }

    public EmulatorConfig config() {
        return config;
    }

    public IdentityProvider idp() {
        return idp;
    }

    public EmulatorControls controls() {
        return controls;
    }

    /** How the org's administrator set it up: the refusals a real org answers (all off after {@link #reset()}). */
    public OrgPolicies policies() {
        return policies;
    }

    /** The org's daily API allocation and its users' API access (defaults after {@link #reset()}). */
    public ApiAllocation apiAllocation() {
        return apiAllocation;
    }

    public EmulatorCounters counters() {
        return counters;
    }

    /** The {@code instance_url} new sessions get (without faults). */
    public String instanceUrl() {
        String override = controls.instanceUrlOverride();
        return override != null ? override : baseUrl;
    }

    /** Sessions issued and neither revoked nor yet found expired. */
    public int liveSessions() {
        return sessions.size();
    }

    /**
     * Clears counters, faults, latencies, the instance URL override, the org policies, the API usage and sessions,
     * restores the
     * configured session timeout and the canned records; keeps apps, users and the IdP's keys.
     */
    public void reset() {
        controls.reset();
        policies.reset();
        apiAllocation.reset();
        sessions.revokeAll();
        counters.reset();
        records.reset();
        log.debug("emulator reset");
    }

    /** Stops the org (answering requests in flight or hanging by closing them) and the IdP. */
    @Override
    public void close() {
        siteServers.values().forEach(site -> site.disposeNow(STOP_TIMEOUT));
        try {
            server.disposeNow(STOP_TIMEOUT);
        } catch (IllegalStateException e) {
            log.debug("org server did not stop in time: {}", e.getMessage());
        }
        loops.disposeLater(Duration.ZERO, STOP_TIMEOUT).block(STOP_TIMEOUT);
        idp.stop();
        log.info("Salesforce emulator stopped: {}", baseUrl);
    }
}
