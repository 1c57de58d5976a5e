package io.granary.adapter.postgres.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the schema up to date, as the SQLite adapter's runner does: numbered SQL files, each applied in one
 * transaction together with its row in {@code schema_version}. PostgreSQL's DDL is transactional, so a crash leaves
 * the schema at a whole version. Instances starting at once queue on a transaction-scoped advisory lock and
 * re-read the version under it, so only the first applies each step.
 *
 * <p>Why not Flyway: the same reasons as on SQLite (see the SQLite runner), and one runner style for both
 * adapters; the two things Flyway would add here, the lock and per-step transactions, are a few lines on PostgreSQL.
 */
public final class PgMigrations {

    private static final Logger LOG = LoggerFactory.getLogger(PgMigrations.class);

    /** In order; the number before "__" is the version. */
    static final List<String> MIGRATIONS = List.of("V001__schema.sql", "V002__provider_organizations_configurations.sql",
            "V003__change_notifications.sql");

    /** Arbitrary, fixed: the advisory lock key all Granary instances serialise their migrations on. */
    private static final long LOCK_KEY = 0x6772616e617279L; // "granary"

    private PgMigrations() {
    }

    public static int latestVersion() {
        return MIGRATIONS.size();
    }

    /** @return the schema version after migrating */
    public static int migrate(PgDatabase db) {
        for (int i = 0; i < MIGRATIONS.size(); i++) {
            int version = i + 1;
            String name = MIGRATIONS.get(i);
            String sql = load(name);
            boolean applied = db.write(h -> {
                h.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
                h.execute("CREATE TABLE IF NOT EXISTS schema_version ("
                        + "version integer NOT NULL PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)");
                int current = current(h);
                refuseNewer(current);
                if (current >= version) {
                    return false;
                }
                try (Statement statement = h.getConnection().createStatement()) {
                    statement.execute(sql);
                } catch (SQLException e) {
                    throw new IllegalStateException("migration " + name + " failed (SQLSTATE " + e.getSQLState() + ")", e);
                }
                h.createUpdate("INSERT INTO schema_version (version, name, applied_at) VALUES (:v, :n, :at)")
                        .bind("v", version).bind("n", name).bind("at", Micros.of(Instant.now())).execute();
                return true;
            });
            if (applied) {
                LOG.info("Applied database migration {}", name);
            }
        }
        int after = db.readOne(PgMigrations::current);
        refuseNewer(after);
        return after;
    }

    private static int current(org.jdbi.v3.core.Handle h) {
        return h.createQuery("SELECT coalesce(max(version), 0) FROM schema_version").mapTo(Integer.class).one();
    }

    private static void refuseNewer(int current) {
        if (current > latestVersion()) {
            throw new IllegalStateException("The database has schema version " + current
                    + ", newer than this Granary knows (" + latestVersion() + "). It was written by a newer release:"
                    + " run that release, or restore a backup taken before the upgrade.");
        }
    }

    private static String load(String name) {
        try (InputStream in = PgMigrations.class.getResourceAsStream("migration/" + name)) {
            if (in == null) {
                throw new IllegalStateException("migration resource missing: " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read migration " + name, e);
        }
    }
}
