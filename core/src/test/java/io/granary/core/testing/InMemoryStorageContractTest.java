package io.granary.core.testing;

import io.granary.core.port.out.Storage;
import io.granary.core.testing.contract.AppKeyMagicLinkContract;
import io.granary.core.testing.contract.ConfigurationContract;
import io.granary.core.testing.contract.CredentialStoreContract;
import io.granary.core.testing.contract.EventStoreContract;
import io.granary.core.testing.contract.ProviderOrganizationContract;
import io.granary.core.testing.contract.UserStoreContract;
import io.granary.core.testing.contract.WebhookOutboxContract;

/** The fakes other tests rely on keep the same rules as the real adapters. */
class InMemoryStorageContractTest implements UserStoreContract, CredentialStoreContract, EventStoreContract,
        WebhookOutboxContract, AppKeyMagicLinkContract, ProviderOrganizationContract, ConfigurationContract {

    private final InMemoryStores storage = new InMemoryStores(); // JUnit makes a new instance per test

    @Override
    public Storage storage() {
        return storage;
    }
}
