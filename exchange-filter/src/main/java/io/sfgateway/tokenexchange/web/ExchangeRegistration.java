package io.sfgateway.tokenexchange.web;

import io.sfgateway.tokenexchange.session.SessionService;
import io.sfgateway.tokenexchange.subject.SubjectResolver;

/** What the filter needs of one registration: how to know the caller, and where its sessions come from. */
public record ExchangeRegistration(String name, SubjectResolver subjects, SessionService sessions) {
}
