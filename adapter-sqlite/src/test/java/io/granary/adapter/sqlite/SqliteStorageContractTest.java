package io.granary.adapter.sqlite;

import io.granary.core.port.out.Storage;
import io.granary.core.testing.contract.AppKeyMagicLinkContract;
import io.granary.core.testing.contract.ChangeFeedContract;
import io.granary.core.testing.contract.ConfigurationContract;
import io.granary.core.testing.contract.CredentialStoreContract;
import io.granary.core.testing.contract.EventStoreContract;
import io.granary.core.testing.contract.ProviderOrganizationContract;
import io.granary.core.testing.contract.UserStoreContract;
import io.granary.core.testing.contract.WebhookOutboxContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Core's storage contract against a real SQLite file. */
class SqliteStorageContractTest implements UserStoreContract, CredentialStoreContract, EventStoreContract,
        WebhookOutboxContract, AppKeyMagicLinkContract, ProviderOrganizationContract, ConfigurationContract,
        ChangeFeedContract {

    @TempDir
    Path dir;
    private SqliteStorage storage;

    @BeforeEach
    void open() {
        storage = SqliteStorage.open(dir.resolve("granary.db"), Fixtures.sealer("k1"));
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
        return SqliteStorage.open(dir.resolve("granary.db"), Fixtures.sealer("k1"));
    }
}
