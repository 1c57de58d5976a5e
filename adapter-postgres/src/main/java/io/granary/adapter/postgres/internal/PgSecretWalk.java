package io.granary.adapter.postgres.internal;

import io.granary.core.crypto.SealingContext;
import io.granary.core.port.out.SecretWalk;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.statement.SqlStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every sealed value in the database, for core's key check and rotation. Tables are walked along their primary
 * key index (no rowid on PostgreSQL); the cursor is the last key, its parts joined by {@link #SEPARATOR}.
 */
public final class PgSecretWalk implements SecretWalk {

    private static final Logger LOG = LoggerFactory.getLogger(PgSecretWalk.class);
    /** Cannot occur in a key part: ids are uuids, names come from JSON strings validated by the API. */
    private static final String SEPARATOR = "\u0000";

    @FunctionalInterface
    private interface ContextReader {
        String read(ResultSet row) throws SQLException;
    }

    /**
     * A column of sealed values: its table, its primary key (column and SQL type), and how its sealing context is
     * rebuilt from the key columns, which follow the sealed value from column 2 on.
     */
    private record SealedColumn(String table, String column, List<String> key, List<String> types, ContextReader context) {

        String select(String where, String order, int limit) {
            return "SELECT " + column + ", " + String.join(", ", key) + " FROM " + table + " " + where
                    + " ORDER BY " + String.join(order + ", ", key) + order + " LIMIT " + limit;
        }

        /** {@code (a, b) > (CAST(:k0 AS uuid), CAST(:k1 AS text))}: the rows behind a cursor, through the key's index. */
        String after() {
            return "WHERE (" + String.join(", ", key) + ") > (" + params() + ")";
        }

        String matchKey() {
            return "(" + String.join(", ", key) + ") = (" + params() + ")";
        }

        private String params() {
            List<String> params = new ArrayList<>();
            for (int i = 0; i < key.size(); i++) {
                params.add("CAST(:k" + i + " AS " + types.get(i) + ")");
            }
            return String.join(", ", params);
        }
    }

    private static final Map<Kind, SealedColumn> COLUMNS = new EnumMap<>(Map.of(
            Kind.CREDENTIAL_FIELD, new SealedColumn("credential_fields", "sealed", List.of("credential_id", "name"),
                    List.of("uuid", "text"), row -> SealingContext.credentialField(row.getString(2), row.getString(3))),
            Kind.WEBHOOK_SECRET, new SealedColumn("webhooks", "secret", List.of("id"), List.of("uuid"),
                    row -> SealingContext.webhookSecret(row.getString(2))),
            Kind.APP_KEY, new SealedColumn("app_keys", "sealed", List.of("owner_id", "provider_id", "app_name", "environment"),
                    List.of("uuid", "text", "text", "text"),
                    row -> SealingContext.appKey(row.getString(2), row.getString(3), row.getString(4), row.getString(5)))));

    private final PgDatabase db;

    public PgSecretWalk(PgDatabase db) {
        this.db = db;
    }

    @Override
    public boolean holdsSecrets() {
        return COLUMNS.values().stream().anyMatch(c -> db.readOne(h -> h.createQuery("SELECT EXISTS (SELECT 1 FROM " + c.table() + ")")
                .mapTo(Boolean.class).one()));
    }

    /** The first and the last by key: on PostgreSQL there is no insertion order to ask for, and any two samples do. */
    @Override
    public List<SealedValue> oldestAndNewest(Kind kind) {
        SealedColumn column = COLUMNS.get(kind);
        return db.read(h -> {
            List<SealedValue> found = new ArrayList<>(h.createQuery(column.select("", "", 1)).map((rs, ctx) -> value(column, rs)).list());
            found.addAll(h.createQuery(column.select("", " DESC", 1)).map((rs, ctx) -> value(column, rs)).list());
            return found;
        });
    }

    @Override
    public List<SealedValue> after(Kind kind, String cursor, int limit) {
        SealedColumn column = COLUMNS.get(kind);
        return db.readOne(h -> bindKey(h.createQuery(column.select(cursor == null ? "" : column.after(), "", limit)), cursor)
                .map((rs, ctx) -> value(column, rs)).list());
    }

    /** Compare-and-set on the value read: one a refresh rewrote meanwhile is already under the current key. */
    @Override
    public int replace(Kind kind, List<Resealed> values) {
        SealedColumn column = COLUMNS.get(kind);
        int replaced = db.write(h -> {
            int changed = 0;
            for (Resealed v : values) {
                changed += bindKey(h.createUpdate("UPDATE " + column.table() + " SET " + column.column() + " = :sealed"
                                + " WHERE " + column.matchKey() + " AND " + column.column() + " = :old"), v.old().cursor())
                        .bind("sealed", v.sealed()).bind("old", v.old().sealed()).execute();
            }
            return changed;
        });
        LOG.info("Resealed {} values of {}.{} under the new key", replaced, column.table(), column.column());
        return replaced;
    }

    private static <S extends SqlStatement<S>> S bindKey(S statement, String cursor) {
        if (cursor != null) {
            String[] parts = cursor.split(SEPARATOR, -1);
            for (int i = 0; i < parts.length; i++) {
                statement.bind("k" + i, parts[i]);
            }
        }
        return statement;
    }

    private static SealedValue value(SealedColumn column, ResultSet rs) throws SQLException {
        List<String> key = new ArrayList<>();
        for (int i = 0; i < column.key().size(); i++) {
            key.add(rs.getString(2 + i));
        }
        return new SealedValue(String.join(SEPARATOR, key), rs.getString(1), column.context().read(rs));
    }
}
