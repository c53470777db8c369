package io.sfgateway.tokenexchange.session;

/** Cache key: the registration plus the subject's key ({@code jwt:<iss> <sub>} or {@code sha256:<hex>}). */
public record SessionKey(String registration, String subject) {
}
