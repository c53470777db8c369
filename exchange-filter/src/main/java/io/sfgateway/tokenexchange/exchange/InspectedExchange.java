package io.sfgateway.tokenexchange.exchange;

import io.sfgateway.tokenexchange.ExchangeFailure;
import io.sfgateway.tokenexchange.SalesforceSession;

/**
 * One exchange as a person checking a registration sees it ({@link TokenExchanger#inspect}):
 * exactly one of {@code session} and {@code failure}, and whatever else the answer said.
 *
 * @param session the session the filter would use, or {@code null}
 * @param failure why there is none, classified as the filter classifies it, or {@code null}
 * @param fields a 2xx answer's other fields (also when the gateway refuses the session, as for a
 *     REST host outside the allowlist), or {@code null} for any other answer
 * @param oauthError a 4xx answer's OAuth {@code error} code, or {@code null}
 */
public record InspectedExchange(SalesforceSession session, ExchangeFailure failure, TokenAnswerFields fields,
        String oauthError) {

    @Override
    public String toString() {
        return "InspectedExchange[session=" + session + ", failure=" + (failure == null ? null : failure.detail())
                + ", fields=" + fields + ", oauthError=" + oauthError + "]";
    }
}
