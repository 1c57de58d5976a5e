package io.granary.provider.sandbox;

import io.granary.spi.ProviderAdapter;
import io.granary.testkit.ProviderRegistrationContract;
import java.util.List;

final class SandboxRegistrationTest extends ProviderRegistrationContract {

    @Override
    protected List<Class<? extends ProviderAdapter>> providers() {
        return List.of(SandboxProvider.class);
    }
}
