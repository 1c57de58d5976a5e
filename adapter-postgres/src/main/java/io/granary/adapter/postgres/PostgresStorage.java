package io.granary.adapter.postgres;

import io.granary.adapter.postgres.internal.PgAlertOutbox;
import io.granary.adapter.postgres.internal.PgApiOwnerStore;
import io.granary.adapter.postgres.internal.PgAppKeyStore;
import io.granary.adapter.postgres.internal.PgCredentialEventStore;
import io.granary.adapter.postgres.internal.PgCredentialStore;
import io.granary.adapter.postgres.internal.PgDatabase;
import io.granary.adapter.postgres.internal.PgLeafUserStore;
import io.granary.adapter.postgres.internal.PgMagicLinkStore;
import io.granary.adapter.postgres.internal.PgMigrations;
import io.granary.adapter.postgres.internal.PgSecretMaintenance;
import io.granary.adapter.postgres.internal.PgWebhookStore;
import io.granary.core.crypto.SealException;
import io.granary.core.crypto.SecretSealer;
import io.granary.core.port.out.AlertOutbox;
import io.granary.core.port.out.ApiOwnerStore;
import io.granary.core.port.out.AppKeyStore;
import io.granary.core.port.out.CredentialEventStore;
import io.granary.core.port.out.CredentialStore;
import io.granary.core.port.out.LeafUserStore;
import io.granary.core.port.out.MagicLinkStore;
import io.granary.core.port.out.WebhookStore;
import java.util.Objects;

/**
 * Granary's storage in one PostgreSQL database, shared by any number of instances: opens a connection pool,
 * migrates the schema (instances starting together take turns) and hands out the storage ports. Refresh and
 * delivery leases, and versioned writes, live in the database, so instances need no other coordination.
 */
public final class PostgresStorage implements AutoCloseable {

    /** Connections per instance unless the caller says otherwise. */
    public static final int DEFAULT_POOL_SIZE = 10;

    private final PgDatabase db;
    private final ApiOwnerStore owners;
    private final LeafUserStore users;
    private final CredentialStore credentials;
    private final CredentialEventStore events;
    private final PgSecretMaintenance secrets;
    private final WebhookStore webhooks;
    private final AlertOutbox alertOutbox;
    private final AppKeyStore appKeys;
    private final MagicLinkStore magicLinks;

    private PostgresStorage(PgDatabase db, SecretSealer sealer) {
        this.db = db;
        this.owners = new PgApiOwnerStore(db);
        this.users = new PgLeafUserStore(db);
        this.credentials = new PgCredentialStore(db, sealer);
        this.events = new PgCredentialEventStore(db);
        this.secrets = new PgSecretMaintenance(db, sealer);
        this.webhooks = new PgWebhookStore(db, sealer);
        this.alertOutbox = new PgAlertOutbox(db, sealer);
        this.appKeys = new PgAppKeyStore(db, sealer);
        this.magicLinks = new PgMagicLinkStore(db);
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

    public AlertOutbox alertOutbox() {
        return alertOutbox;
    }

    public AppKeyStore appKeys() {
        return appKeys;
    }

    public MagicLinkStore magicLinks() {
        return magicLinks;
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
     * Opens the first and last stored sealed value of each table with this storage's sealer.
     *
     * @throws SealException with a message fit for an operator if the key is wrong or missing
     */
    public void verifySealer() {
        secrets.verifySealer();
    }

    /**
     * Opens every stored sealed value: {@code migrate} checks with it that a copy is whole.
     *
     * @return how many values opened
     * @throws SealException if one does not
     */
    public long openAllSecrets() {
        return secrets.openAll();
    }

    /** Key rotation, as on SQLite: batches of short transactions, rerunnable after a crash. */
    public int resealAll(SecretSealer newSealer) {
        return secrets.resealAll(Objects.requireNonNull(newSealer, "newSealer"));
    }

    /** Access for {@code migrate} (copying rows as they are) and tests; not for the service's own work. */
    public org.jdbi.v3.core.Jdbi jdbi() {
        return db.jdbi();
    }

    @Override
    public void close() {
        db.close();
    }
}
