package io.sfgateway.tokenexchange.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UnauthorizedAnswerTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]",
            "  [ {\"errorCode\" : \"INVALID_SESSION_ID\"} ]\n",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Errors><Error><errorCode>INVALID_SESSION_ID</errorCode>"
                    + "<message>Session expired or invalid</message></Error></Errors>"})
    void salesforcesSessionErrorIsADeadSession(String body) {
        assertThat(UnauthorizedAnswer.saysInvalidSession(body.getBytes(StandardCharsets.UTF_8))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "[]",
            "[{\"errorCode\":\"NOT_AUTHORIZED\",\"message\":\"INVALID_SESSION_ID\"}]",
            "[{\"errorCode\":\"CUSTOM\"},{\"errorCode\":\"INVALID_SESSION_ID\"}]",
            "{\"errorCode\":\"INVALID_SESSION_ID\"}",
            "[{\"errorCode\":[\"INVALID_SESSION_ID\"]}]",
            "[{\"errorCode\":\"INVALID_SESSION_ID\"}",
            "INVALID_SESSION_ID",
            "<Errors><Error><message>INVALID_SESSION_ID</message></Error></Errors>"})
    void anythingElseIsNot(String body) {
        assertThat(UnauthorizedAnswer.saysInvalidSession(body.getBytes(StandardCharsets.UTF_8))).isFalse();
    }
}
