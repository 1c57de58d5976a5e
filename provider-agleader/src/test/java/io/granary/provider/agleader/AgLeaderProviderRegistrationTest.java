package io.granary.provider.agleader;

import io.granary.spi.ProviderAdapter;
import io.granary.testkit.ProviderRegistrationContract;
import java.util.List;

final class AgLeaderProviderRegistrationTest extends ProviderRegistrationContract {

    @Override
    protected List<Class<? extends ProviderAdapter>> providers() {
        return List.of(AgLeaderProvider.class);
    }
}
