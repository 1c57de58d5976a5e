package io.granary.app;

import io.granary.core.port.out.Storage;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar granary.jar migrate --to jdbc:postgresql://host:port/db}: copies this data directory's SQLite
 * database into an empty PostgreSQL database (see {@link SqliteToPostgres}). Stop the service first. The master key
 * is the configured one; it must open the SQLite secrets, and is then the key every PostgreSQL instance is given.
 */
final class MigrateCommand {

    private static final Logger LOG = LoggerFactory.getLogger(MigrateCommand.class);

    private MigrateCommand() {
    }

    static void run(Settings settings, String[] args) {
        String url = args.length == 3 && args[1].equals("--to") ? args[2] : null;
        if (url == null) {
            throw new IllegalStateException("usage: java -jar granary.jar migrate --to jdbc:postgresql://host:port/database");
        }
        DatabaseSettings target = DatabaseSettings.withUrl(settings, url);
        DataDirectory data = new DataDirectory(Path.of(settings.get("GRANARY_DATA_DIR", "granary-data")));
        MasterKeys keys = MasterKeys.configured(settings, data);
        if (keys.isEmpty()) {
            throw new IllegalStateException("no master key: give the key the SQLite database was written with"
                    + " (GRANARY_MASTER_KEY or GRANARY_MASTER_KEY_FILE, or master.key in the data directory)");
        }
        // Opening brings the SQLite schema up to date and checks the key before anything is copied.
        Path file = data.resolve(Application.DATABASE_FILE);
        try (Storage source = StorageFactory.sqlite(data).open(keys.sealer())) {
            source.verifySealer();
            LOG.info("source {} opens with the configured key", file);
        }
        try (Storage postgres = StorageFactory.postgres(target).open(keys.sealer())) {
            SqliteToPostgres.Result result = SqliteToPostgres.copy(file, target, postgres);
            LOG.info("copied {} into {}: {}; all {} sealed values open with the key (id {})", file, target.describe(),
                    result.rows(), result.secretsOpened(), io.granary.core.crypto.AesGcmSealer.keyId(keys.keys().get(0)));
            if (keys.source() == MasterKeys.Source.GENERATED_FILE) {
                LOG.warn("the key was generated into {}: give its content as GRANARY_MASTER_KEY (or the file as"
                        + " GRANARY_MASTER_KEY_FILE) to every PostgreSQL instance", data.resolve(MasterKeys.GENERATED_FILE));
            }
        }
    }
}
