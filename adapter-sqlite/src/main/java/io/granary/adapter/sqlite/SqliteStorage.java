package io.granary.adapter.sqlite;

import io.granary.adapter.sqlite.internal.Database;
import io.granary.adapter.sqlite.internal.MigrationRunner;
import io.granary.adapter.sqlite.internal.SecretMaintenance;
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
import io.granary.core.crypto.SealException;
import io.granary.core.crypto.SecretSealer;
import io.granary.core.port.out.AlertOutbox;
import io.granary.core.port.out.ApiOwnerStore;
import io.granary.core.port.out.CredentialEventStore;
import io.granary.core.port.out.CredentialStore;
import io.granary.core.port.out.LeafUserStore;
import io.granary.core.port.out.WebhookStore;
import io.granary.core.port.out.AppKeyStore;
import io.granary.core.port.out.MagicLinkStore;
import io.granary.core.port.out.ConfigurationStore;
import io.granary.core.port.out.ProviderOrganizationStore;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Granary's storage in one SQLite file: opens (creating and migrating) the database and hands out the storage
 * ports. Several processes may open the same file: refresh leases and versioned writes live in the database.
 * Close it after the work that uses it has stopped.
 */
public final class SqliteStorage implements AutoCloseable {

    private final Database db;
    private final ApiOwnerStore owners;
    private final LeafUserStore users;
    private final CredentialStore credentials;
    private final CredentialEventStore events;
    private final SecretMaintenance secrets;
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
        this.secrets = new SecretMaintenance(db, sealer);
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

    public ApiOwnerStore owners() {
        return owners;
    }

    public LeafUserStore users() {
        return users;
    }

    public CredentialStore credentials() {
        return credentials;
    }

    public CredentialEventStore events() {
        return events;
    }

    public WebhookStore webhooks() {
        return webhooks;
    }

    /** Alerts waiting for delivery; written together with credential status changes by {@link #credentials()}. */
    public AlertOutbox alertOutbox() {
        return alertOutbox;
    }

    /** API owners' provider apps (Leaf's app keys), sealed at rest. */
    public AppKeyStore appKeys() {
        return appKeys;
    }

    public MagicLinkStore magicLinks() {
        return magicLinks;
    }

    /** The organizations each credential's grant saw at its latest refresh (Leaf's organization routes). */
    public ProviderOrganizationStore providerOrganizations() {
        return providerOrganizations;
    }

    /** Leaf's configuration service: values owners and users set. */
    public ConfigurationStore configurations() {
        return configurations;
    }

    /** A cheap {@code SELECT 1} on a pooled connection; false instead of an exception, for health checks. */
    public boolean isHealthy() {
        try {
            return db.readOne(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** True if any sealed value is stored: start-up then refuses to run without a key. */
    public boolean holdsSecrets() {
        return secrets.holdsSecrets();
    }

    /**
     * Opens a stored sealed value (the oldest and the newest) with this storage's sealer; does nothing if none is
     * stored.
     *
     * @throws SealException with a message fit for an operator if the key is wrong or missing
     */
    public void verifySealer() {
        secrets.verifySealer();
    }

    /**
     * Key rotation: re-encrypts every stored value that {@code newSealer.needsResealing}, opening it with the
     * sealer this storage was opened with (which must still hold the old key) and sealing it with
     * {@code newSealer}, in batches of short transactions. The two may be the same sealer holding both keys.
     * This instance keeps its own sealer: a {@code rotate-key} command opens the storage with the old sealer,
     * calls this, closes, and the service starts again with the new one. Processes still running on the old key
     * alone cannot read resealed values, so rotate with them stopped, or give them both keys first.
     * Idempotent: after a crash, run it again.
     *
     * @return how many values were re-encrypted
     * @throws SealException if a stored value cannot be opened with the old sealer (nothing after that batch changes)
     */
    public int resealAll(SecretSealer newSealer) {
        return secrets.resealAll(Objects.requireNonNull(newSealer, "newSealer"));
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

    /** For tests in this package: the pools and a way to open fresh connections. */
    Database database() {
        return db;
    }

    @Override
    public void close() {
        db.close();
    }
}
