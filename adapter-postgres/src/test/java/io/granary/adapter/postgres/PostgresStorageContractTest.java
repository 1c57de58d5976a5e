package io.granary.adapter.postgres;

import io.granary.adapter.postgres.testing.TestPostgres;
import io.granary.core.port.out.Storage;
import io.granary.core.testing.contract.AppKeyMagicLinkContract;
import io.granary.core.testing.contract.ChangeFeedContract;
import io.granary.core.testing.contract.ConfigurationContract;
import io.granary.core.testing.contract.CredentialStoreContract;
import io.granary.core.testing.contract.EventStoreContract;
import io.granary.core.testing.contract.ProviderOrganizationContract;
import io.granary.core.testing.contract.UserStoreContract;
import io.granary.core.testing.contract.WebhookOutboxContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Core's storage contract against a real PostgreSQL, a fresh database per test. */
class PostgresStorageContractTest implements UserStoreContract, CredentialStoreContract, EventStoreContract,
        WebhookOutboxContract, AppKeyMagicLinkContract, ProviderOrganizationContract, ConfigurationContract,
        ChangeFeedContract {

    private TestPostgres.Database database;
    private PostgresStorage storage;

    @BeforeEach
    void open() {
        database = TestPostgres.newDatabase();
        storage = PgFixtures.open(database, "k1");
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Override
    public Storage storage() {
        return storage;
    }

    @Override
    public Storage openAnotherOnTheSameData() {
        return PgFixtures.open(database, "k1");
    }
}
