package io.granary.app;

import io.granary.adapter.postgres.PostgresStorage;
import io.granary.adapter.sqlite.SqliteStorage;
import io.granary.core.crypto.SecretSealer;
import io.granary.core.port.out.Storage;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The configured storage adapter: the one class of the app that names one (ArchUnit checks it); everything else
 * sees the {@link Storage} port. A SQLite file in the data directory, or PostgreSQL if {@code GRANARY_DATABASE_URL}
 * is set ({@link DatabaseSettings}).
 */
final class StorageFactory {

    static final String DATABASE_FILE = "granary.db";

    private final Path databaseFile;
    private final DatabaseSettings postgres;

    private StorageFactory(Path databaseFile, DatabaseSettings postgres) {
        this.databaseFile = databaseFile;
        this.postgres = postgres;
    }

    static StorageFactory configured(Settings settings, DataDirectory data) {
        return new StorageFactory(data.resolve(DATABASE_FILE), DatabaseSettings.from(settings));
    }

    /** The SQLite file of a data directory, whatever else is configured: the source of {@code migrate}. */
    static StorageFactory sqlite(DataDirectory data) {
        return new StorageFactory(data.resolve(DATABASE_FILE), null);
    }

    /** A PostgreSQL database, whatever else is configured: the target of {@code migrate}. */
    static StorageFactory postgres(DatabaseSettings target) {
        return new StorageFactory(null, target);
    }

    /** Opens (creating and migrating) the storage; every secret is sealed with {@code sealer}. */
    Storage open(SecretSealer sealer) {
        return postgres != null
                ? PostgresStorage.open(postgres.url(), postgres.user(), postgres.password(), sealer, postgres.poolSize())
                : SqliteStorage.open(databaseFile, sealer);
    }

    /** False only if the storage certainly holds nothing yet (no database file): then no key need be asked for. */
    boolean mayHoldData() {
        return postgres != null || Files.exists(databaseFile);
    }

    /**
     * True if several instances may share this storage (PostgreSQL): then every key must be given, the same on
     * each, and none may be generated into one instance's data directory.
     */
    boolean shared() {
        return postgres != null;
    }

    /** Where the data is, for an operator's messages. Never a password. */
    String describe() {
        return postgres != null ? postgres.describe() : databaseFile.toString();
    }
}
