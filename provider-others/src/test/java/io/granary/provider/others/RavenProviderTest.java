package io.granary.provider.others;

import io.granary.spi.OAuth2Provider;
import io.granary.testkit.OAuth2ProviderContract;
import java.util.Map;
import java.util.Optional;

final class RavenProviderTest extends OAuth2ProviderContract {

    @Override
    protected OAuth2Provider provider() {
        return new RavenProvider();
    }

    @Override
    protected Map<String, String> inputFields() {
        return Map.of("clientId", "raven-client", "clientSecret", "raven-client-secret-9a2b");
    }

    @Override
    protected ExpectedClientAuth expectedClientAuth() {
        return ExpectedClientAuth.BASIC_HEADER;
    }

    @Override
    protected Optional<AccessCheck> accessCheck() {
        return Optional.empty();
    }
}
