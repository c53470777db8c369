package io.sfgateway.tokenexchange.web;

import io.sfgateway.tokenexchange.apiusage.ApiUsageMonitor;
import io.sfgateway.tokenexchange.routing.ForwardingPolicy;
import io.sfgateway.tokenexchange.session.SessionService;
import io.sfgateway.tokenexchange.subject.SubjectResolver;

/**
 * What the filter needs of one registration: how to know the caller, where its sessions come
 * from, what may cross the gateway with them, and who watches the org's API usage.
 *
 * @param apiUsage reads the org's API usage from Salesforce's answers and may shed new requests;
 *     {@code null} when nothing watches it
 */
public record ExchangeRegistration(String name, SubjectResolver subjects, SessionService sessions,
        ForwardingPolicy forwarding, ApiUsageMonitor apiUsage) {

    public ExchangeRegistration {
        forwarding = forwarding == null ? ForwardingPolicy.defaults() : forwarding;
    }

    /** A registration whose API usage nothing watches. */
    public ExchangeRegistration(String name, SubjectResolver subjects, SessionService sessions,
            ForwardingPolicy forwarding) {
        this(name, subjects, sessions, forwarding, null);
    }

    /** A registration with the default forwarding policy. */
    public ExchangeRegistration(String name, SubjectResolver subjects, SessionService sessions) {
        this(name, subjects, sessions, null, null);
    }
}
