package io.granary.adapter.postgres;

import io.granary.adapter.postgres.internal.PgAlertOutbox;
import io.granary.adapter.postgres.internal.PgApiOwnerStore;
import io.granary.adapter.postgres.internal.PgConfigurationStore;
import io.granary.adapter.postgres.internal.PgAppKeyStore;
import io.granary.adapter.postgres.internal.PgChangeFeed;
import io.granary.adapter.postgres.internal.PgCredentialEventStore;
import io.granary.adapter.postgres.internal.PgCredentialStore;
import io.granary.adapter.postgres.internal.PgDatabase;
import io.granary.adapter.postgres.internal.PgLeafUserStore;
import io.granary.adapter.postgres.internal.PgMagicLinkStore;
import io.granary.adapter.postgres.internal.PgMigrations;
import io.granary.adapter.postgres.internal.PgProviderOrganizationStore;
import io.granary.adapter.postgres.internal.PgSecretWalk;
import io.granary.adapter.postgres.internal.PgWebhookStore;
import io.granary.core.crypto.SecretSealer;
import io.granary.core.port.out.AlertOutbox;
import io.granary.core.port.out.ApiOwnerStore;
import io.granary.core.port.out.AppKeyStore;
import io.granary.core.port.out.ChangeFeed;
import io.granary.core.port.out.ConfigurationStore;
import io.granary.core.port.out.CredentialEventStore;
import io.granary.core.port.out.CredentialStore;
import io.granary.core.port.out.LeafUserStore;
import io.granary.core.port.out.MagicLinkStore;
import io.granary.core.port.out.ProviderOrganizationStore;
import io.granary.core.port.out.SecretWalk;
import io.granary.core.port.out.Storage;
import io.granary.core.port.out.WebhookStore;
import java.util.Objects;
import java.util.Optional;

/**
 * Granary's storage in one PostgreSQL database, shared by any number of instances: opens a connection pool,
 * migrates the schema (instances starting together take turns) and hands out the storage ports. Refresh and
 * delivery leases, and versioned writes, live in the database, so instances need no other coordination.
 *
 * <p>{@link #changes()} tells which credentials and owners changed, by this instance at once and by others as
 * PostgreSQL's notifications arrive (see {@link PgChangeFeed}), so the HTTP answer cache works here too. The feed's
 * LISTEN connection is opened on the first call only: commands that never serve requests never open it.
 */
public final class PostgresStorage implements Storage {

    /** Connections per instance unless the caller says otherwise. */
    public static final int DEFAULT_POOL_SIZE = 10;

    private final PgDatabase db;
    private final ApiOwnerStore owners;
    private final LeafUserStore users;
    private final CredentialStore credentials;
    private final CredentialEventStore events;
    private final SecretSealer sealer;
    private final PgSecretWalk secrets;
    private final WebhookStore webhooks;
    private final AlertOutbox alertOutbox;
    private final AppKeyStore appKeys;
    private final MagicLinkStore magicLinks;
    private final ProviderOrganizationStore providerOrganizations;
    private final ConfigurationStore configurations;
    private PgChangeFeed changes; // guarded by this

    private PostgresStorage(PgDatabase db, SecretSealer sealer) {
        this.db = db;
        this.owners = new PgApiOwnerStore(db);
        this.users = new PgLeafUserStore(db);
        this.credentials = new PgCredentialStore(db, sealer);
        this.events = new PgCredentialEventStore(db);
        this.sealer = sealer;
        this.secrets = new PgSecretWalk(db);
        this.webhooks = new PgWebhookStore(db, sealer);
        this.alertOutbox = new PgAlertOutbox(db, sealer);
        this.appKeys = new PgAppKeyStore(db, sealer);
        this.magicLinks = new PgMagicLinkStore(db);
        this.providerOrganizations = new PgProviderOrganizationStore(db);
        this.configurations = new PgConfigurationStore(db);
    }

    /**
     * Connects and applies pending migrations.
     *
     * @param url      {@code jdbc:postgresql://host:port/database}
     * @param poolSize connections of this instance
     * @throws IllegalStateException if the schema is newer than this Granary knows
     * @throws io.granary.core.port.out.StorageUnavailableException if the server cannot be reached
     */
    public static PostgresStorage open(String url, String user, String password, SecretSealer sealer, int poolSize) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(sealer, "sealer");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database)");
        }
        PgDatabase db = PgDatabase.open(url, user, password, poolSize);
        try {
            PgMigrations.migrate(db);
            return new PostgresStorage(db, sealer);
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

    /** A cheap {@code SELECT 1} on a pooled connection; false instead of an exception, for health checks. */
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

    /** Starts the feed on the first call (one connection of its own, outside the pool); the same feed after that. */
    @Override
    public synchronized Optional<ChangeFeed> changes() {
        if (changes == null) {
            changes = PgChangeFeed.start(db);
        }
        return Optional.of(changes);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (changes != null) {
                changes.close();
            }
        }
        db.close();
    }
}
