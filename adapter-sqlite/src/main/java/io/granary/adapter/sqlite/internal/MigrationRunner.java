package io.granary.adapter.sqlite.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the schema up to date: numbered SQL files, each applied in its own IMMEDIATE transaction together
 * with its row in {@code schema_version}, so a crash leaves the schema at a whole version.
 *
 * <p>Why not Flyway or Liquibase: each is larger than this whole adapter, brings its own logging and
 * class-path scanning (awkward under JPMS), and we need four things only: ordered files, a version table,
 * one transaction per step, and refusing a database written by a newer Granary. Several processes may start
 * at once: the version is re-read inside the write transaction, so only one applies each step.
 */
public final class MigrationRunner {

    private static final Logger LOG = LoggerFactory.getLogger(MigrationRunner.class);

    /** In order; the number before "__" is the version. Resource names are listed because a jar cannot be listed. */
    static final List<String> MIGRATIONS = List.of(
            "V001__initial_schema.sql",
            "V002__alerts.sql",
            "V003__magic_links.sql",
            "V004__change_log.sql",
            "V005__provider_organizations.sql",
            "V006__configurations.sql");

    private MigrationRunner() {
    }

    public static int latestVersion() {
        return MIGRATIONS.size();
    }

    /** @return the schema version after migrating */
    public static int migrate(Database db) {
        db.write(h -> h.execute("CREATE TABLE IF NOT EXISTS schema_version ("
                + "version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)"));
        int current = currentVersion(db);
        refuseNewer(current);
        for (int i = current; i < MIGRATIONS.size(); i++) {
            int version = i + 1;
            String name = MIGRATIONS.get(i);
            if (versionOf(name) != version) {
                throw new IllegalStateException("migration " + name + " is out of order: expected version " + version);
            }
            String sql = load(name);
            boolean applied = db.write(h -> {
                int now = h.createQuery("SELECT coalesce(max(version), 0) FROM schema_version").mapTo(Integer.class).one();
                if (now >= version) {
                    return false; // another process applied it meanwhile
                }
                h.createScript(sql).execute();
                h.createUpdate("INSERT INTO schema_version (version, name, applied_at) VALUES (:v, :n, :at)")
                        .bind("v", version).bind("n", name).bind("at", Micros.of(Instant.now())).execute();
                return true;
            });
            if (applied) {
                LOG.info("Applied database migration {}", name);
            }
        }
        int after = currentVersion(db);
        refuseNewer(after);
        return after;
    }

    public static int currentVersion(Database db) {
        return db.readOne(h -> h.createQuery("SELECT coalesce(max(version), 0) FROM schema_version")
                .mapTo(Integer.class).one());
    }

    private static void refuseNewer(int current) {
        if (current > latestVersion()) {
            throw new IllegalStateException("The database has schema version " + current
                    + ", newer than this Granary knows (" + latestVersion() + "). It was written by a newer release:"
                    + " run that release, or restore a backup taken before the upgrade.");
        }
    }

    private static int versionOf(String name) {
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }

    private static String load(String name) {
        try (InputStream in = MigrationRunner.class.getResourceAsStream("migration/" + name)) {
            if (in == null) {
                throw new IllegalStateException("migration resource missing: " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read migration " + name, e);
        }
    }
}
