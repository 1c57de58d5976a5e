package io.granary.provider.others;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.granary.spi.Environment;
import io.granary.spi.OAuth2Provider;
import io.granary.testkit.OAuth2ProviderContract;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class ClaasProviderTest extends OAuth2ProviderContract {

    @Override
    protected OAuth2Provider provider() {
        return new ClaasProvider();
    }

    @Override
    protected Map<String, String> inputFields() {
        return Map.of("clientKey", "claas-client-key", "clientSecret", "claas-client-secret-55e1");
    }

    @Override
    protected String expectedClientIdField() {
        return "clientKey";
    }

    @Override
    protected ExpectedClientAuth expectedClientAuth() {
        return ExpectedClientAuth.BASIC_HEADER;
    }

    @Override
    protected Optional<AccessCheck> accessCheck() {
        return Optional.empty();
    }

    @Test
    void descriptor_defaultsToStage() {
        assertEquals(Environment.STAGE, provider().descriptor().defaultEnvironment());
    }
}
