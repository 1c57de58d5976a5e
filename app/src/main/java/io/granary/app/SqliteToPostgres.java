package io.granary.app;

import io.granary.core.port.out.SecretWalk;
import io.granary.core.port.out.Storage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code migrate --to URL}: copies a data directory's SQLite database into an empty PostgreSQL database, row for
 * row. Secrets are copied as sealed: both adapters seal under the same contexts, so they open there with the same
 * key and no plaintext ever leaves the ciphertext. The whole copy is one PostgreSQL transaction: a crash leaves the
 * target empty, and the command can simply be run again. Afterwards it compares every table's count and opens
 * every sealed value in the target.
 */
final class SqliteToPostgres {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteToPostgres.class);
    private static final int BATCH = 1_000;

    /** A table and how each column is written on PostgreSQL (a cast where SQLite's type differs). */
    private record Table(String name, Map<String, String> columns) {
        static Table of(String name, String... columnsAndCasts) {
            Map<String, String> columns = new LinkedHashMap<>();
            for (String spec : columnsAndCasts) {
                String[] parts = spec.split(":");
                columns.put(parts[0], parts.length > 1 ? parts[1] : "");
            }
            return new Table(name, columns);
        }
    }

    private static final String U = ":uuid";

    /** In foreign-key order; each read in rowid order, so PostgreSQL's seq columns keep SQLite's insertion order. */
    static final List<Table> TABLES = List.of(
            Table.of("api_owners", "id" + U, "email", "password_hash", "disabled:boolean", "created_at"),
            Table.of("leaf_users", "id" + U, "owner_id" + U, "name", "email", "phone", "address", "external_id", "created_at", "updated_at"),
            Table.of("credentials", "id" + U, "owner_id" + U, "leaf_user_id" + U, "provider_id", "environment", "status",
                    "status_message", "created_at", "updated_at", "access_expires_at", "scopes", "next_refresh_at",
                    "failure_count", "version", "lease_owner", "lease_until"),
            Table.of("credential_fields", "credential_id" + U, "name", "sealed"),
            Table.of("credential_events", "id" + U, "credential_id" + U, "created_at", "method", "url", "status_code",
                    "headers", "body", "duration_ms"),
            Table.of("webhooks", "id" + U, "owner_id" + U, "name", "url", "secret", "created_at"),
            Table.of("webhook_events", "owner_id" + U, "event", "webhook_id" + U),
            Table.of("alerts", "id" + U, "owner_id" + U, "event", "body", "created_at"),
            Table.of("webhook_deliveries", "id" + U, "alert_id" + U, "webhook_id" + U, "retries", "attempts", "state",
                    "next_attempt_at", "lease_owner", "lease_until", "finished_at"),
            Table.of("webhook_failed_calls", "id", "owner_id" + U, "webhook_id" + U, "created_at", "url", "status",
                    "response", "request_body", "connection_error"),
            Table.of("app_keys", "owner_id" + U, "provider_id", "app_name", "environment", "sealed", "scopes", "created_at", "updated_at"),
            Table.of("magic_links", "id" + U, "owner_id" + U, "leaf_user_id" + U, "allowed_providers", "settings", "created_at",
                    "expires_at", "last_accessed_at", "max_usage", "usage_count"),
            Table.of("pending_authorizations", "state_hash", "link_id" + U, "provider_id", "browser_hash", "expires_at"),
            Table.of("provider_organizations", "credential_id" + U, "org_id", "position", "name", "connected:boolean",
                    "management_uri", "chosen", "seen_at"),
            Table.of("owner_configurations", "owner_id" + U, "field", "value"),
            Table.of("user_configurations", "owner_id" + U, "leaf_user_id" + U, "field", "value"));

    /**
     * SQLite tables deliberately left behind: the schema's own version (PostgreSQL keeps its own), and the change log
     * that only SQLite's in-process caches read.
     */
    static final java.util.Set<String> NOT_COPIED = java.util.Set.of("schema_version", "change_log");

    /** What was copied: rows per table and sealed values opened in the target. */
    record Result(Map<String, Long> rows, long secretsOpened) {
    }

    private SqliteToPostgres() {
    }

    /**
     * @param sqliteFile the source, already opened once by the caller with the configured key (migrated, key checked);
     *                   the service must be stopped
     * @param target     where the PostgreSQL database is, for copying rows as they are over plain JDBC
     * @param storage    the same database opened as storage (schema created) with the same key, for the checks
     * @throws IllegalStateException if the target holds any row, or a check after copying fails
     */
    static Result copy(Path sqliteFile, DatabaseSettings target, Storage storage) {
        if (!Files.exists(sqliteFile)) {
            throw new IllegalStateException("no SQLite database at " + sqliteFile + " to migrate");
        }
        try (Connection source = DriverManager.getConnection("jdbc:sqlite:" + sqliteFile.toAbsolutePath() + "?open_mode=1");
             Connection pg = DriverManager.getConnection(target.url(), properties(target))) {
            pg.setAutoCommit(false);
            Map<String, Long> copied;
            try {
                refuseUnknownTables(source);
                refuseNonEmpty(pg);
                Map<String, Long> rows = new LinkedHashMap<>();
                for (Table table : TABLES) {
                    rows.put(table.name(), copyTable(source, pg, table));
                }
                try (Statement s = pg.createStatement()) {
                    // Failed calls keep their ids: the identity continues after the largest copied.
                    s.execute("SELECT setval(pg_get_serial_sequence('webhook_failed_calls', 'id'),"
                            + " coalesce((SELECT max(id) FROM webhook_failed_calls), 0) + 1, false)");
                }
                pg.commit();
                copied = rows;
            } catch (SQLException | RuntimeException e) {
                pg.rollback();
                throw e;
            }
            Map<String, Long> expected = new LinkedHashMap<>();
            for (Table table : TABLES) {
                expected.put(table.name(), count(source, table.name()));
            }
            Map<String, Long> inTarget = new LinkedHashMap<>();
            for (Table table : TABLES) {
                inTarget.put(table.name(), count(pg, table.name()));
            }
            if (!expected.equals(inTarget) || !expected.equals(copied)) {
                throw new IllegalStateException("row counts differ after copying: SQLite " + expected + ", PostgreSQL " + inTarget);
            }
            long opened = openAll(storage);
            long sealed = expected.get("credential_fields") + expected.get("webhooks") + expected.get("app_keys");
            if (opened != sealed) {
                throw new IllegalStateException("opened " + opened + " sealed values in PostgreSQL, SQLite holds " + sealed);
            }
            return new Result(inTarget, opened);
        } catch (SQLException e) {
            throw new IllegalStateException("migration failed (SQLSTATE " + e.getSQLState() + "); the target is left as it was", e);
        }
    }

    private static java.util.Properties properties(DatabaseSettings target) {
        java.util.Properties p = new java.util.Properties();
        if (target.user() != null) {
            p.setProperty("user", target.user());
        }
        if (target.password() != null) {
            p.setProperty("password", target.password());
        }
        return p;
    }

    /** Opens every sealed value the storage holds with its sealer. @throws io.granary.core.crypto.SealException if one does not */
    static long openAll(Storage storage) {
        long opened = 0;
        for (SecretWalk.Kind kind : SecretWalk.Kind.values()) {
            String cursor = null;
            List<SecretWalk.SealedValue> batch;
            while (!(batch = storage.secrets().after(kind, cursor, BATCH)).isEmpty()) {
                for (SecretWalk.SealedValue v : batch) {
                    storage.sealer().open(v.sealed(), v.context());
                    opened++;
                }
                cursor = batch.get(batch.size() - 1).cursor();
            }
        }
        return opened;
    }

    /**
     * A table a newer migration added but {@link #TABLES} forgot would be left behind while every count still
     * matched: refuse to copy instead.
     */
    private static void refuseUnknownTables(Connection source) throws SQLException {
        java.util.Set<String> known = TABLES.stream().map(Table::name).collect(Collectors.toSet());
        List<String> unknown = new java.util.ArrayList<>();
        try (Statement s = source.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")) {
            while (rs.next()) {
                String name = rs.getString(1);
                if (!known.contains(name) && !NOT_COPIED.contains(name)) {
                    unknown.add(name);
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalStateException("this release does not know how to copy the SQLite tables " + unknown
                    + ": nothing was copied");
        }
    }

    private static void refuseNonEmpty(Connection pg) throws SQLException {
        for (Table table : TABLES) {
            if (count(pg, table.name()) > 0) {
                throw new IllegalStateException("the target database is not empty (table " + table.name()
                        + " has rows): migrate copies into an empty Granary database only");
            }
        }
    }

    private static long copyTable(Connection source, Connection pg, Table table) throws SQLException {
        String columns = String.join(", ", table.columns().keySet());
        String values = table.columns().values().stream().map(cast -> cast.isEmpty() ? "?" : "CAST(? AS " + cast + ")")
                .collect(Collectors.joining(", "));
        long copied = 0;
        try (Statement read = source.createStatement();
             ResultSet rows = read.executeQuery("SELECT " + columns + " FROM " + table.name() + " ORDER BY rowid");
             PreparedStatement write = pg.prepareStatement("INSERT INTO " + table.name() + " (" + columns + ") VALUES (" + values + ")")) {
            int n = table.columns().size();
            List<String> casts = List.copyOf(table.columns().values());
            while (rows.next()) {
                for (int i = 1; i <= n; i++) {
                    Object value = rows.getObject(i);
                    if (casts.get(i - 1).equals("boolean") && value instanceof Number number) {
                        value = number.intValue() != 0;
                    } else if (!casts.get(i - 1).isEmpty() && value != null) {
                        value = value.toString();
                    }
                    write.setObject(i, value);
                }
                write.addBatch();
                if (++copied % BATCH == 0) {
                    write.executeBatch();
                }
            }
            write.executeBatch();
        }
        LOG.info("copied {} rows of {}", copied, table.name());
        return copied;
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
