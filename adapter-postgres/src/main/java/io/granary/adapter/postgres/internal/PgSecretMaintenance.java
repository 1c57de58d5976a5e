package io.granary.adapter.postgres.internal;

import io.granary.core.crypto.SealException;
import io.granary.core.crypto.SecretSealer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whole-database work on sealed values, as on SQLite: the start-up key check, the count and check {@code migrate}
 * does, and re-encryption under a new key. Tables are walked in
 * batches along their primary key index.
 */
public final class PgSecretMaintenance {

    private static final Logger LOG = LoggerFactory.getLogger(PgSecretMaintenance.class);

    static final int RESEAL_BATCH = 200;

    @FunctionalInterface
    private interface ContextReader {
        String read(ResultSet row) throws SQLException;
    }

    /**
     * A column of sealed values: its table, its primary key columns (walked in order through the key's index), and
     * the columns its sealing context is made of.
     */
    private record SealedColumn(String table, String column, List<String> key, String contextColumns, ContextReader context) {
        String select(String where) {
            return "SELECT " + column + ", " + contextColumns + ", " + String.join(", ", key) + " FROM " + table + " " + where
                    + " ORDER BY " + String.join(", ", key);
        }

        String selectLast() {
            return "SELECT " + column + ", " + contextColumns + ", " + String.join(", ", key) + " FROM " + table
                    + " ORDER BY " + String.join(" DESC, ", key) + " DESC LIMIT 1";
        }

        /** {@code (a, b) > (:k0, :k1)}: rows after the last one of the previous batch. */
        String after() {
            StringBuilder params = new StringBuilder();
            for (int i = 0; i < key.size(); i++) {
                params.append(i == 0 ? "" : ", ").append(":k").append(i);
            }
            return "WHERE (" + String.join(", ", key) + ") > (" + params + ")";
        }

        String matchKey() {
            StringBuilder where = new StringBuilder();
            for (int i = 0; i < key.size(); i++) {
                where.append(i == 0 ? "" : " AND ").append(key.get(i)).append(" = :k").append(i);
            }
            return where.toString();
        }
    }

    // Context columns start at column 2 of each select.
    private static final List<SealedColumn> COLUMNS = List.of(
            new SealedColumn("credential_fields", "sealed", List.of("credential_id", "name"), "credential_id, name",
                    row -> SealingContexts.credentialField(row.getString(2), row.getString(3))),
            new SealedColumn("webhooks", "secret", List.of("id"), "id",
                    row -> SealingContexts.webhookSecret(row.getString(2))),
            new SealedColumn("app_keys", "sealed", List.of("owner_id", "provider_id", "app_name", "environment"),
                    "owner_id, provider_id, app_name, environment",
                    row -> SealingContexts.appKey(row.getString(2), row.getString(3), row.getString(4), row.getString(5))));

    private record SealedValue(Object[] key, String sealed, String context) {
    }

    private final PgDatabase db;
    private final SecretSealer sealer;

    public PgSecretMaintenance(PgDatabase db, SecretSealer sealer) {
        this.db = db;
        this.sealer = sealer;
    }

    public boolean holdsSecrets() {
        return COLUMNS.stream().anyMatch(c -> db.readOne(h -> h.createQuery("SELECT EXISTS (SELECT 1 FROM " + c.table() + ")")
                .mapTo(Boolean.class).one()));
    }

    /** Opens the first and the last sealed value of each table (by key). */
    public void verifySealer() {
        for (SealedColumn column : COLUMNS) {
            List<SealedValue> samples = db.read(h -> {
                List<SealedValue> found = new java.util.ArrayList<>(h.createQuery(column.select("") + " LIMIT 1")
                        .map((rs, ctx) -> value(column, rs)).list());
                found.addAll(h.createQuery(column.selectLast()).map((rs, ctx) -> value(column, rs)).list());
                return found;
            });
            for (SealedValue sample : samples) {
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
     * Opens every sealed value (for {@code migrate}'s check after copying).
     *
     * @return how many were opened
     * @throws SealException naming the table if one does not open
     */
    public long openAll() {
        long opened = 0;
        for (SealedColumn column : COLUMNS) {
            Object[] after = null;
            while (true) {
                Object[] from = after;
                List<SealedValue> batch = db.readOne(h -> bindKey(h.createQuery(column.select(from == null ? "" : column.after()) + " LIMIT 1000"), from)
                        .map((rs, ctx) -> value(column, rs)).list());
                if (batch.isEmpty()) {
                    break;
                }
                for (SealedValue v : batch) {
                    try {
                        sealer.open(v.sealed(), v.context());
                    } catch (SealException e) {
                        throw new SealException("a sealed value of " + column.table() + " does not open with the configured key", e);
                    }
                    opened++;
                }
                after = batch.get(batch.size() - 1).key();
            }
        }
        return opened;
    }

    /** Re-encrypts every value {@code newSealer.needsResealing}, {@value #RESEAL_BATCH} rows per transaction; rerunnable. */
    public int resealAll(SecretSealer newSealer) {
        int resealed = 0;
        for (SealedColumn column : COLUMNS) {
            int inTable = reseal(column, newSealer);
            LOG.info("Resealed {} values of {}.{} under the new key", inTable, column.table(), column.column());
            resealed += inTable;
        }
        return resealed;
    }

    private int reseal(SealedColumn column, SecretSealer newSealer) {
        Object[] after = null;
        int resealed = 0;
        while (true) {
            Object[] from = after;
            Object[] result = db.write(h -> {
                List<SealedValue> batch = bindKey(h.createQuery(column.select(from == null ? "" : column.after()) + " LIMIT :batch FOR UPDATE"), from)
                        .bind("batch", RESEAL_BATCH).map((rs, ctx) -> value(column, rs)).list();
                int changed = 0;
                for (SealedValue v : batch) {
                    if (newSealer.needsResealing(v.sealed())) {
                        String plaintext = sealer.open(v.sealed(), v.context());
                        bindKey(h.createUpdate("UPDATE " + column.table() + " SET " + column.column() + " = :sealed WHERE " + column.matchKey()), v.key())
                                .bind("sealed", newSealer.seal(plaintext, v.context())).execute();
                        changed++;
                    }
                }
                return new Object[] {batch.isEmpty() ? null : batch.get(batch.size() - 1).key(), changed};
            });
            if (result[0] == null) {
                return resealed;
            }
            after = (Object[]) result[0];
            resealed += (Integer) result[1];
        }
    }

    private static SealedValue value(SealedColumn column, ResultSet rs) throws SQLException {
        int first = rs.getMetaData().getColumnCount() - column.key().size() + 1;
        Object[] key = new Object[column.key().size()];
        for (int i = 0; i < key.length; i++) {
            key[i] = rs.getObject(first + i);
        }
        return new SealedValue(key, rs.getString(1), column.context().read(rs));
    }

    private static <S extends org.jdbi.v3.core.statement.SqlStatement<S>> S bindKey(S statement, Object[] key) {
        if (key != null) {
            for (int i = 0; i < key.length; i++) {
                statement.bind("k" + i, key[i]);
            }
        }
        return statement;
    }
}
