package io.sfgateway.tokenexchange.apiusage;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfgateway.tokenexchange.apiusage.SforceLimitInfo.Reading;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Reading {@code Sforce-Limit-Info}: the api-usage part only, tolerant of everything around it. */
class SforceLimitInfoTest {

    @Test
    void readsTheApiUsagePart() {
        assertThat(SforceLimitInfo.parse("api-usage=10018/100000")).isEqualTo(new Reading(10018, 100000));
        assertThat(SforceLimitInfo.parse("api-usage=10018/100000").share()).isEqualTo(0.10018);
    }

    @Test
    void otherPartsAreIgnoredWhereverTheyStand() {
        assertThat(SforceLimitInfo.parse("api-usage=18/5000, per-app-api-usage=17/250(appName=sample-app)"))
                .isEqualTo(new Reading(18, 5000));
        assertThat(SforceLimitInfo.parse("per-app-api-usage=17/250(appName=sample-app),api-usage=18/5000"))
                .as("per-app-api-usage is not api-usage").isEqualTo(new Reading(18, 5000));
        assertThat(SforceLimitInfo.parse("future-part=whatever, api-usage = 7 / 15000 ,x")).isEqualTo(new Reading(7, 15000));
        assertThat(SforceLimitInfo.parse("API-Usage=1/2")).isEqualTo(new Reading(1, 2));
    }

    @Test
    void usagePastTheLimitIsAReading() {
        assertThat(SforceLimitInfo.parse("api-usage=15023/15000")).isEqualTo(new Reading(15023, 15000));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "garbage", "per-app-api-usage=17/250(appName=x)", "api-usage", "api-usage=",
            "api-usage=12", "api-usage=12/", "api-usage=/12", "api-usage=12/0", "api-usage=-1/10", "api-usage=1/-10",
            "api-usage=1.5/10", "api-usage=1/10x", "api-usage=ab/cd", "api-usage-x=1/2",
            "api-usage=1/9999999999999999999", "api-usage=12/34/56"})
    void anythingElseIsMalformed(String header) {
        assertThat(SforceLimitInfo.parse(header)).isSameAs(SforceLimitInfo.MALFORMED);
    }
}
