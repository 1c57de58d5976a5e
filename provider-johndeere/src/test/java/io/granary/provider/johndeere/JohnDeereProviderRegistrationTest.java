package io.granary.provider.johndeere;

import io.granary.spi.ProviderAdapter;
import io.granary.testkit.ProviderRegistrationContract;
import java.util.List;

final class JohnDeereProviderRegistrationTest extends ProviderRegistrationContract {

    @Override
    protected List<Class<? extends ProviderAdapter>> providers() {
        return List.of(JohnDeereProvider.class);
    }
}
