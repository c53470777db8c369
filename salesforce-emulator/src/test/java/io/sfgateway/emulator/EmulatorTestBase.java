package io.sfgateway.emulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/** One emulator per test class, reset before each test. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EmulatorTestBase {

    protected SalesforceEmulator sf;

    protected EmulatorConfig config() {
        return EmulatorConfig.defaults();
    }

    @BeforeAll
    void startEmulator() {
        sf = SalesforceEmulator.start(config());
    }

    @BeforeEach
    void resetEmulator() {
        sf.reset();
    }

    @AfterAll
    void stopEmulator() {
        if (sf != null) {
            sf.close();
        }
    }

    protected String aliceToken() {
        return sf.idp().mintToken("alice", sf.config().audience());
    }

    protected Http.Response exchange(java.util.Map<String, String> form) {
        return Exchanges.exchange(sf, form);
    }

    protected String data(String pathAfterVersion) {
        return sf.baseUrl() + "/services/data/v65.0" + pathAfterVersion;
    }
}
