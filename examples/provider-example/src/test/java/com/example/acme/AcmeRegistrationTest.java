package com.example.acme;

import io.granary.spi.ProviderAdapter;
import io.granary.testkit.ProviderRegistrationContract;
import java.util.List;

/** What Granary checks when it loads the jar, checked at build time: registration, descriptor, client-id field. */
final class AcmeRegistrationTest extends ProviderRegistrationContract {

    @Override
    protected List<Class<? extends ProviderAdapter>> providers() {
        return List.of(AcmeProvider.class);
    }
}
