package io.granary.app;

import io.granary.adapter.sqlite.SqliteStorage;
import io.granary.core.crypto.SecretSealer;
import io.granary.core.port.out.Storage;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The configured storage adapter: the one class of the app that names one (ArchUnit checks it); everything else
 * sees the {@link Storage} port. Today a SQLite file in the data directory.
 */
final class StorageFactory {

    static final String DATABASE_FILE = "granary.db";

    private final Path databaseFile;

    private StorageFactory(Path databaseFile) {
        this.databaseFile = databaseFile;
    }

    static StorageFactory configured(Settings settings, DataDirectory data) {
        return new StorageFactory(data.resolve(DATABASE_FILE));
    }

    /** Opens (creating and migrating) the storage; every secret is sealed with {@code sealer}. */
    Storage open(SecretSealer sealer) {
        return SqliteStorage.open(databaseFile, sealer);
    }

    /** False only if the storage certainly holds nothing yet (no database file): then no key need be asked for. */
    boolean mayHoldData() {
        return Files.exists(databaseFile);
    }

    /** Where the data is, for an operator's messages. Never a password. */
    String describe() {
        return databaseFile.toString();
    }
}
