package io.granary.provider.trimble;

import io.granary.spi.ProviderAdapter;
import io.granary.testkit.ProviderRegistrationContract;
import java.util.List;

final class TrimbleProviderRegistrationTest extends ProviderRegistrationContract {

    @Override
    protected List<Class<? extends ProviderAdapter>> providers() {
        return List.of(TrimbleProvider.class);
    }
}
