package io.sfgateway.tokenexchange.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfgateway.tokenexchange.routing.SessionPaths.Verdict;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SessionPathsTest {

    private final SessionPaths paths = new SessionPaths(
            List.of("/services/data/", "/services/apexrest/", "/services/async/", "/services/Soap/"));

    @ParameterizedTest
    @ValueSource(strings = {
            "/services/data/v62.0/limits",
            "/services/data/v62.0/query",
            "/services/apexrest/pay/v1",
            "/services/async/62.0/job",
            "/services/Soap/u/62.0",
            "/services/data/v62.0/sobjects/Account/ExtId__c/a%2Fb", // an encoded slash in a value: no dot segment
            "/services/data/v62.0/sobjects/Account/Name/O%27Brien",
            "/services/data/v62.0/x...y/..a/a../.hidden",
            "/services/data/v62.0/100%25",
            "/services/data//v62.0/limits"})
    void apiPathsAreAllowed(String path) {
        assertThat(paths.judge(path)).isEqualTo(Verdict.ALLOWED);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/services/data/../../secur/frontdoor.jsp",
            "/services/data/v62.0/..",
            "/services/data/./v62.0/limits",
            "/services/data/v62.0/.",
            "/services/data/%2e%2e/%2e%2e/services/oauth2/revoke",
            "/services/data/%2E%2E/x",
            "/services/data/%2E./x",
            "/services/data/.%2e/x",
            "/services/data/%2e/x",
            "/services/data/..%2f..%2fsecur%2ffrontdoor.jsp",
            "/services/data/..%2F..%2Fsecur",
            "/services/apexrest/..;/..;/cometd/62.0",
            "/services/apexrest/..;jsessionid=x/y",
            "/services/data/..\\..\\secur",
            "/services/data/..%5c..%5csecur",
            "/services/data/%252e%252e/x",
            "/services/data/%25252e%25252e/x",
            "/services/data/%2525252e%2525252e/x",
            "/services/data/%c0%ae%c0%ae/x",
            "/services/data/%e0%80%ae%e0%80%ae/x",
            "/services/data/%zz/x",
            "/services/data/v62.0/%",
            "/services/data/v62.0/%00",
            "/services/data/v62.0/%0d%0aX-Injected:1",
            "/services/data/.."})
    void dotSegmentsInAnyEncodingAreRefused(String path) {
        assertThat(paths.judge(path)).isEqualTo(Verdict.DOT_SEGMENTS);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/secur/frontdoor.jsp",
            "/services/oauth2/token",
            "/services/oauth2/singleaccess",
            "/services/oauth2/userinfo",
            "/cometd/62.0",
            "/services/data",
            "/services/dataX/v62.0",
            "/SERVICES/DATA/v62.0/limits",
            "/services/dat%61/v62.0/limits",
            "/services%2fdata/v62.0/limits",
            "/services/soap/u/62.0",
            "/",
            ""})
    void everythingElseIsOutside(String path) {
        assertThat(paths.judge(path)).isEqualTo(Verdict.OUTSIDE);
    }
}
