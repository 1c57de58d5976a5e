package io.granary.adapter.sqlite.internal;

import io.granary.core.crypto.SealingContext;
import io.granary.core.port.out.SecretWalk;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where this database keeps each kind of sealed value, walked in rowid order. What is done with them (key check,
 * resealing) is core's. A table with secrets is added by listing its column in {@link #COLUMNS}.
 */
public final class SqliteSecretWalk implements SecretWalk {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteSecretWalk.class);

    /** Rebuilds a value's sealing context from its row's context columns, which start at column 3. */
    @FunctionalInterface
    private interface ContextReader {
        String read(ResultSet row) throws SQLException;
    }

    /** A column of sealed values, and the columns its sealing context is made of. */
    private record SealedColumn(String table, String column, String contextColumns, ContextReader context) {
        String select(String where) {
            return "SELECT rowid, " + column + ", " + contextColumns + " FROM " + table + " " + where;
        }
    }

    private static final Map<Kind, SealedColumn> COLUMNS = new EnumMap<>(Map.of(
            Kind.CREDENTIAL_FIELD, new SealedColumn("credential_fields", "sealed", "credential_id, name",
                    row -> SealingContext.credentialField(row.getString(3), row.getString(4))),
            // Webhook secrets too: after a key change they must open, or no alert could be signed.
            Kind.WEBHOOK_SECRET, new SealedColumn("webhooks", "secret", "id",
                    row -> SealingContext.webhookSecret(row.getString(3))),
            Kind.APP_KEY, new SealedColumn("app_keys", "sealed", "owner_id, provider_id, app_name, environment",
                    row -> SealingContext.appKey(row.getString(3), row.getString(4), row.getString(5), row.getString(6)))));

    private final Database db;

    public SqliteSecretWalk(Database db) {
        this.db = db;
    }

    @Override
    public boolean holdsSecrets() {
        return COLUMNS.values().stream().anyMatch(c -> db.readOne(h -> h.createQuery("SELECT EXISTS (SELECT 1 FROM " + c.table() + ")")
                .mapTo(Boolean.class).one()));
    }

    @Override
    public List<SealedValue> oldestAndNewest(Kind kind) {
        SealedColumn column = COLUMNS.get(kind);
        String where = "WHERE rowid IN ((SELECT min(rowid) FROM " + column.table() + "), (SELECT max(rowid) FROM " + column.table() + "))";
        return db.read(h -> h.createQuery(column.select(where)).map((rs, ctx) -> value(column, rs)).list());
    }

    @Override
    public List<SealedValue> after(Kind kind, String cursor, int limit) {
        SealedColumn column = COLUMNS.get(kind);
        long after = cursor == null ? 0 : Long.parseLong(cursor);
        return db.read(h -> h.createQuery(column.select("WHERE rowid > :after ORDER BY rowid LIMIT :limit"))
                .bind("after", after).bind("limit", limit)
                .map((rs, ctx) -> value(column, rs)).list());
    }

    @Override
    public int replace(Kind kind, List<Resealed> values) {
        SealedColumn column = COLUMNS.get(kind);
        int replaced = db.write(h -> {
            int changed = 0;
            for (Resealed v : values) {
                changed += h.createUpdate("UPDATE " + column.table() + " SET " + column.column() + " = :sealed"
                                + " WHERE rowid = :rowid AND " + column.column() + " = :old")
                        .bind("sealed", v.sealed()).bind("rowid", Long.parseLong(v.old().cursor()))
                        .bind("old", v.old().sealed()).execute();
            }
            return changed;
        });
        LOG.info("Resealed {} values of {}.{} under the new key", replaced, column.table(), column.column());
        return replaced;
    }

    /**
     * A truncating WAL checkpoint, so old ciphertexts do not linger in the WAL file (SECURE_DELETE has already
     * zeroed them in the database pages).
     */
    @Override
    public void walked() {
        int busy = db.writerJdbi().withHandle(h -> h.createQuery("PRAGMA wal_checkpoint(TRUNCATE)")
                .map((rs, ctx) -> rs.getInt(1)).one());
        if (busy != 0) {
            LOG.warn("WAL checkpoint after resealing was blocked by a reader; old ciphertexts stay in the WAL file"
                    + " until the next checkpoint");
        }
    }

    private static SealedValue value(SealedColumn column, ResultSet rs) throws SQLException {
        return new SealedValue(Long.toString(rs.getLong(1)), rs.getString(2), column.context().read(rs));
    }
}
