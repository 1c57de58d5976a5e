package io.granary.adapter.sqlite;

import io.granary.adapter.sqlite.internal.Database;
import io.granary.adapter.sqlite.internal.MigrationRunner;
import io.granary.adapter.sqlite.internal.SqliteSecretWalk;
import io.granary.adapter.sqlite.internal.SqliteAlertOutbox;
import io.granary.adapter.sqlite.internal.SqliteApiOwnerStore;
import io.granary.adapter.sqlite.internal.SqliteCredentialEventStore;
import io.granary.adapter.sqlite.internal.SqliteCredentialStore;
import io.granary.adapter.sqlite.internal.SqliteLeafUserStore;
import io.granary.adapter.sqlite.internal.SqliteWebhookStore;
import io.granary.adapter.sqlite.internal.SqliteAppKeyStore;
import io.granary.adapter.sqlite.internal.SqliteMagicLinkStore;
import io.granary.adapter.sqlite.internal.SqliteConfigurationStore;
import io.granary.adapter.sqlite.internal.SqliteProviderOrganizationStore;
import io.granary.core.crypto.SecretSealer;
import io.granary.core.port.out.AlertOutbox;
import io.granary.core.port.out.ChangeFeed;
import io.granary.core.port.out.ApiOwnerStore;
import io.granary.core.port.out.CredentialEventStore;
import io.granary.core.port.out.CredentialStore;
import io.granary.core.port.out.LeafUserStore;
import io.granary.core.port.out.WebhookStore;
import io.granary.core.port.out.AppKeyStore;
import io.granary.core.port.out.MagicLinkStore;
import io.granary.core.port.out.SecretWalk;
import io.granary.core.port.out.Storage;
import java.util.Optional;
import io.granary.core.port.out.ConfigurationStore;
import io.granary.core.port.out.ProviderOrganizationStore;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Granary's storage in one SQLite file: opens (creating and migrating) the database and hands out the storage
 * ports. Several processes may open the same file: refresh leases and versioned writes live in the database.
 * Close it after the work that uses it has stopped.
 */
public final class SqliteStorage implements Storage {

    private final Database db;
    private final ApiOwnerStore owners;
    private final LeafUserStore users;
    private final CredentialStore credentials;
    private final CredentialEventStore events;
    private final SecretSealer sealer;
    private final SecretWalk secrets;
    private final WebhookStore webhooks;
    private final AlertOutbox alertOutbox;
    private final AppKeyStore appKeys;
    private final MagicLinkStore magicLinks;
    private final ProviderOrganizationStore providerOrganizations;
    private final ConfigurationStore configurations;

    private SqliteStorage(Database db, SecretSealer sealer) {
        this.db = db;
        this.owners = new SqliteApiOwnerStore(db);
        this.users = new SqliteLeafUserStore(db);
        this.credentials = new SqliteCredentialStore(db, sealer);
        this.events = new SqliteCredentialEventStore(db);
        this.sealer = sealer;
        this.secrets = new SqliteSecretWalk(db);
        this.webhooks = new SqliteWebhookStore(db, sealer);
        this.alertOutbox = new SqliteAlertOutbox(db, sealer);
        this.appKeys = new SqliteAppKeyStore(db, sealer);
        this.magicLinks = new SqliteMagicLinkStore(db);
        this.providerOrganizations = new SqliteProviderOrganizationStore(db);
        this.configurations = new SqliteConfigurationStore(db);
    }

    /**
     * Opens the database, creating the file if needed and applying pending migrations.
     *
     * @param sealer seals every credential field written and opens every one read
     * @throws IllegalStateException if the database was written by a newer Granary (its schema is newer)
     * @throws io.granary.core.port.out.StorageUnavailableException if the file cannot be opened
     */
    public static SqliteStorage open(Path databaseFile, SecretSealer sealer) {
        Objects.requireNonNull(databaseFile, "databaseFile");
        Objects.requireNonNull(sealer, "sealer");
        Database db = Database.open(databaseFile);
        try {
            MigrationRunner.migrate(db);
            return new SqliteStorage(db, sealer);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    @Override
    public ApiOwnerStore owners() {
        return owners;
    }

    @Override
    public LeafUserStore users() {
        return users;
    }

    @Override
    public CredentialStore credentials() {
        return credentials;
    }

    @Override
    public CredentialEventStore events() {
        return events;
    }

    @Override
    public WebhookStore webhooks() {
        return webhooks;
    }

    @Override
    public AlertOutbox alertOutbox() {
        return alertOutbox;
    }

    @Override
    public AppKeyStore appKeys() {
        return appKeys;
    }

    @Override
    public MagicLinkStore magicLinks() {
        return magicLinks;
    }

    @Override
    public ProviderOrganizationStore providerOrganizations() {
        return providerOrganizations;
    }

    @Override
    public ConfigurationStore configurations() {
        return configurations;
    }

    /** A cheap {@code SELECT 1} on a pooled connection. */
    @Override
    public boolean isHealthy() {
        try {
            return db.readOne(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public SecretSealer sealer() {
        return sealer;
    }

    @Override
    public SecretWalk secrets() {
        return secrets;
    }

    /**
     * A stamp that differs from every earlier one once anything was committed to the file since: at once for this
     * process's commits, within a millisecond for another process's (the {@code owners} command, a second instance).
     * Cheap and never waits for a lock, so it may be asked on every request; each calling thread keeps one connection
     * open for it until {@link #close()}. Lets callers cache what they read and know, before each use, that it is
     * still what is stored.
     */
    public long changeStamp() {
        return db.changeStamp();
    }

    /**
     * Which credentials and owners changed, committed by this process (told at the next {@link ChangeFeed#catchUp()})
     * or another (within a millisecond), so callers can keep what they read and drop only what changed.
     */
    @Override
    public Optional<ChangeFeed> changes() {
        return Optional.of(db.changes());
    }

    /** For tests in this package: the pools and a way to open fresh connections. */
    Database database() {
        return db;
    }

    @Override
    public void close() {
        db.close();
    }
}
