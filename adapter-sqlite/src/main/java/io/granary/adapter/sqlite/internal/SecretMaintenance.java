package io.granary.adapter.sqlite.internal;

import io.granary.core.crypto.SealException;
import io.granary.core.crypto.SecretSealer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whole-database work on sealed values, for every table that holds them: the start-up key check and
 * re-encryption under a new key. A table with secrets is added by listing its column in {@link #COLUMNS}.
 */
public final class SecretMaintenance {

    private static final Logger LOG = LoggerFactory.getLogger(SecretMaintenance.class);

    /** Rows per reseal transaction: short enough that API writes wait milliseconds, not seconds. */
    static final int RESEAL_BATCH = 200;

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

    private static final List<SealedColumn> COLUMNS = List.of(
            new SealedColumn("credential_fields", "sealed", "credential_id, name",
                    row -> SealedFields.context(row.getString(3), row.getString(4))),
            // Webhook secrets too: after a key change they must open, or no alert could be signed.
            new SealedColumn("webhooks", "secret", "id",
                    row -> SqliteAlertOutbox.secretContext(row.getString(3))),
            new SealedColumn("app_keys", "sealed", "owner_id, provider_id, app_name, environment",
                    row -> SqliteAppKeyStore.context(row.getString(3), row.getString(4), row.getString(5), row.getString(6))));

    private record SealedValue(long rowid, String sealed, String context) {
    }

    private final Database db;
    private final SecretSealer sealer;

    public SecretMaintenance(Database db, SecretSealer sealer) {
        this.db = db;
        this.sealer = sealer;
    }

    public boolean holdsSecrets() {
        return COLUMNS.stream().anyMatch(c -> db.readOne(h -> h.createQuery("SELECT EXISTS (SELECT 1 FROM " + c.table() + ")")
                .mapTo(Boolean.class).one()));
    }

    /** Opens the oldest and the newest sealed value of each table, the likeliest to be under different keys. */
    public void verifySealer() {
        for (SealedColumn column : COLUMNS) {
            String where = "WHERE rowid IN ((SELECT min(rowid) FROM " + column.table() + "), (SELECT max(rowid) FROM " + column.table() + "))";
            for (SealedValue sample : db.read(h -> h.createQuery(column.select(where)).map((rs, ctx) -> value(column, rs)).list())) {
                try {
                    sealer.open(sample.sealed(), sample.context());
                } catch (SealException e) {
                    throw new SealException("The configured encryption key cannot open the secrets stored in this database"
                            + " (wrong key, or the key that sealed them is missing from the key set)", e);
                }
            }
        }
    }

    /**
     * Re-encrypts every value {@code newSealer.needsResealing}: opened with this storage's sealer, sealed with
     * {@code newSealer}, {@value #RESEAL_BATCH} rows per transaction. Safe to run again after a crash: values
     * already under the new key are skipped. Ends with a truncating WAL checkpoint so old ciphertexts do not
     * linger in the WAL file (SECURE_DELETE has already zeroed them in the database pages).
     */
    public int resealAll(SecretSealer newSealer) {
        int resealed = 0;
        for (SealedColumn column : COLUMNS) {
            int inTable = reseal(column, newSealer);
            LOG.info("Resealed {} values of {}.{} under the new key", inTable, column.table(), column.column());
            resealed += inTable;
        }
        checkpointTruncate();
        return resealed;
    }

    private int reseal(SealedColumn column, SecretSealer newSealer) {
        long after = 0;
        int resealed = 0;
        while (true) {
            long from = after;
            long[] result = db.write(h -> {
                List<SealedValue> batch = h.createQuery(column.select("WHERE rowid > :after ORDER BY rowid LIMIT :batch"))
                        .bind("after", from).bind("batch", RESEAL_BATCH)
                        .map((rs, ctx) -> value(column, rs))
                        .list();
                long changed = 0;
                for (SealedValue v : batch) {
                    if (newSealer.needsResealing(v.sealed())) {
                        String plaintext = sealer.open(v.sealed(), v.context());
                        h.createUpdate("UPDATE " + column.table() + " SET " + column.column() + " = :sealed WHERE rowid = :rowid")
                                .bind("sealed", newSealer.seal(plaintext, v.context())).bind("rowid", v.rowid()).execute();
                        changed++;
                    }
                }
                return new long[] {batch.isEmpty() ? -1 : batch.get(batch.size() - 1).rowid(), changed};
            });
            if (result[0] < 0) {
                return resealed;
            }
            after = result[0];
            resealed += (int) result[1];
        }
    }

    private static SealedValue value(SealedColumn column, ResultSet rs) throws SQLException {
        return new SealedValue(rs.getLong(1), rs.getString(2), column.context().read(rs));
    }

    private void checkpointTruncate() {
        int busy = db.writerJdbi().withHandle(h -> h.createQuery("PRAGMA wal_checkpoint(TRUNCATE)")
                .map((rs, ctx) -> rs.getInt(1)).one());
        if (busy != 0) {
            LOG.warn("WAL checkpoint after resealing was blocked by a reader; old ciphertexts stay in the WAL file"
                    + " until the next checkpoint");
        }
    }
}
