package io.sfgateway.tokenexchange.web;

import io.sfgateway.tokenexchange.routing.ForwardingPolicy;
import io.sfgateway.tokenexchange.session.SessionService;
import io.sfgateway.tokenexchange.subject.SubjectResolver;

/**
 * What the filter needs of one registration: how to know the caller, where its sessions come
 * from, and what may cross the gateway with them.
 */
public record ExchangeRegistration(String name, SubjectResolver subjects, SessionService sessions,
        ForwardingPolicy forwarding) {

    public ExchangeRegistration {
        forwarding = forwarding == null ? ForwardingPolicy.defaults() : forwarding;
    }

    /** A registration with the default forwarding policy. */
    public ExchangeRegistration(String name, SubjectResolver subjects, SessionService sessions) {
        this(name, subjects, sessions, null);
    }
}
